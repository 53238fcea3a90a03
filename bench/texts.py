"""Phrase banks for synthetic text in the five site languages (pure Python, no Django).

The text reads like monitoring prose so that stemming, full-text search and snippets do realistic work, but
every title starts with SYNTHETIC_MARK and nothing here describes a real event.
"""

SYNTHETIC_MARK = "[SYNTHETIC]"
ORGANISATION_NAME = "Synthetic benchmark data"
ORGANISATION_SLUG = "synthetic-benchmark-data"
IMPORT_KEY_PREFIX = "synthetic:"

LANGS = ("en", "ru", "fr", "es", "ar")

TITLE = {
    "en": ["{country}: {what} amid {context}", "{country}: {what} as {context} continues",
           "{what} reported in {country}", "{country}: civil society faces {what}"],
    "ru": ["{country}: {what} на фоне {context}", "{country}: {what}, {context} продолжается",
           "В стране {country} сообщают: {what}", "{country}: гражданское общество сталкивается с {what}"],
    "fr": ["{country} : {what} sur fond de {context}", "{country} : {what} alors que {context} se poursuit",
           "{what} signalé en {country}", "{country} : la société civile face à {what}"],
    "es": ["{country}: {what} en medio de {context}", "{country}: {what} mientras continúa {context}",
           "{what} denunciado en {country}", "{country}: la sociedad civil enfrenta {what}"],
    "ar": ["{country}: {what} وسط {context}", "{country}: {what} مع استمرار {context}",
           "تقارير عن {what} في {country}", "{country}: المجتمع المدني يواجه {what}"],
}

WHAT = {
    "en": ["detention of journalists", "raids on independent media", "liquidation of a human rights group",
           "dispersal of peaceful protesters", "new foreign agent legislation", "internet shutdown",
           "smear campaign against activists", "prosecution of bloggers", "travel bans on defenders",
           "surveillance of trade unionists", "court ruling against an NGO", "release of detained activists"],
    "ru": ["задержание журналистов", "обыски в независимых СМИ", "ликвидация правозащитной организации",
           "разгон мирных протестующих", "новый закон об иностранных агентах", "отключение интернета",
           "кампания по дискредитации активистов", "преследование блогеров", "запрет на выезд для правозащитников",
           "слежка за профсоюзными активистами", "решение суда против НКО", "освобождение задержанных активистов"],
    "fr": ["détention de journalistes", "perquisitions dans les médias indépendants",
           "dissolution d'une organisation de défense des droits", "dispersion de manifestants pacifiques",
           "nouvelle loi sur les agents étrangers", "coupure d'internet", "campagne de dénigrement contre des militants",
           "poursuites contre des blogueurs", "interdictions de voyager pour les défenseurs",
           "surveillance de syndicalistes", "décision de justice contre une ONG", "libération de militants détenus"],
    "es": ["detención de periodistas", "allanamientos a medios independientes",
           "liquidación de una organización de derechos humanos", "dispersión de manifestantes pacíficos",
           "nueva ley de agentes extranjeros", "corte de internet", "campaña de desprestigio contra activistas",
           "procesamiento de blogueros", "prohibiciones de viaje a defensores", "vigilancia de sindicalistas",
           "fallo judicial contra una ONG", "liberación de activistas detenidos"],
    "ar": ["احتجاز صحفيين", "مداهمة وسائل إعلام مستقلة", "حل منظمة لحقوق الإنسان", "تفريق متظاهرين سلميين",
           "قانون جديد بشأن العملاء الأجانب", "قطع الإنترنت", "حملة تشهير ضد ناشطين", "ملاحقة مدونين قضائيا",
           "حظر سفر المدافعين", "مراقبة النقابيين", "حكم قضائي ضد منظمة غير حكومية", "إطلاق سراح ناشطين محتجزين"],
}

CONTEXT = {
    "en": ["election tensions", "a state of emergency", "economic protests", "constitutional reform",
           "a crackdown on dissent", "pressure on the press"],
    "ru": ["предвыборной напряжённости", "чрезвычайного положения", "экономических протестов",
           "конституционной реформы", "подавления инакомыслия", "давления на прессу"],
    "fr": ["tensions électorales", "l'état d'urgence", "manifestations économiques", "la réforme constitutionnelle",
           "la répression de la dissidence", "pressions sur la presse"],
    "es": ["tensiones electorales", "un estado de emergencia", "protestas económicas", "la reforma constitucional",
           "la represión de la disidencia", "la presión sobre la prensa"],
    "ar": ["توترات انتخابية", "حالة الطوارئ", "احتجاجات اقتصادية", "الإصلاح الدستوري", "قمع المعارضة",
           "الضغط على الصحافة"],
}

SENTENCE = {
    "en": ["Police detained {n} people after the authorities accused them of organising unauthorised gatherings.",
           "Security services searched the offices of an independent newspaper and seized equipment.",
           "A court ordered the liquidation of a civil society organisation on procedural grounds.",
           "Activists reported threats and online harassment after publishing an investigation.",
           "Parliament adopted amendments restricting foreign funding of non-governmental organisations.",
           "Journalists covering the demonstration were beaten and their cameras confiscated.",
           "Prosecutors opened a criminal case for spreading false information against a blogger.",
           "The authorities blocked access to social networks in several regions for three days.",
           "Human rights defenders were prevented from leaving the country at the airport.",
           "After international pressure, the court released the detained journalists on bail."],
    "ru": ["Полиция задержала {n} человек, обвинив их в организации несанкционированных собраний.",
           "Силовые структуры провели обыск в редакции независимой газеты и изъяли оборудование.",
           "Суд постановил ликвидировать общественную организацию по формальным основаниям.",
           "Активисты сообщили об угрозах и травле в интернете после публикации расследования.",
           "Парламент принял поправки, ограничивающие иностранное финансирование некоммерческих организаций.",
           "Журналистов, освещавших демонстрацию, избили, а их камеры конфисковали.",
           "Прокуратура возбудила уголовное дело против блогера за распространение ложной информации.",
           "Власти заблокировали доступ к социальным сетям в нескольких регионах на три дня.",
           "Правозащитникам не позволили покинуть страну в аэропорту.",
           "После международного давления суд освободил задержанных журналистов под залог."],
    "fr": ["La police a arrêté {n} personnes accusées d'avoir organisé des rassemblements non autorisés.",
           "Les services de sécurité ont perquisitionné les locaux d'un journal indépendant et saisi du matériel.",
           "Un tribunal a ordonné la dissolution d'une organisation de la société civile pour vice de forme.",
           "Des militants ont signalé des menaces et du harcèlement en ligne après la publication d'une enquête.",
           "Le parlement a adopté des amendements limitant le financement étranger des organisations non gouvernementales.",
           "Des journalistes qui couvraient la manifestation ont été frappés et leurs caméras confisquées.",
           "Le parquet a ouvert une procédure pénale contre un blogueur pour diffusion de fausses informations.",
           "Les autorités ont bloqué l'accès aux réseaux sociaux dans plusieurs régions pendant trois jours.",
           "Des défenseurs des droits humains ont été empêchés de quitter le pays à l'aéroport.",
           "Après des pressions internationales, le tribunal a libéré sous caution les journalistes détenus."],
    "es": ["La policía detuvo a {n} personas acusadas de organizar reuniones no autorizadas.",
           "Los servicios de seguridad allanaron las oficinas de un periódico independiente y confiscaron equipos.",
           "Un tribunal ordenó la liquidación de una organización de la sociedad civil por motivos formales.",
           "Activistas denunciaron amenazas y acoso en línea tras publicar una investigación.",
           "El parlamento aprobó enmiendas que restringen la financiación extranjera de organizaciones no gubernamentales.",
           "Periodistas que cubrían la manifestación fueron golpeados y sus cámaras confiscadas.",
           "La fiscalía abrió una causa penal contra un bloguero por difundir información falsa.",
           "Las autoridades bloquearon el acceso a las redes sociales en varias regiones durante tres días.",
           "Se impidió a defensores de derechos humanos salir del país en el aeropuerto.",
           "Tras la presión internacional, el tribunal liberó bajo fianza a los periodistas detenidos."],
    "ar": ["احتجزت الشرطة {n} أشخاص بعد أن اتهمتهم السلطات بتنظيم تجمعات غير مرخصة.",
           "داهمت الأجهزة الأمنية مكاتب صحيفة مستقلة وصادرت معدات.",
           "أمرت محكمة بحل منظمة من منظمات المجتمع المدني لأسباب إجرائية.",
           "أفاد ناشطون بتلقي تهديدات ومضايقات عبر الإنترنت بعد نشر تحقيق.",
           "اعتمد البرلمان تعديلات تقيد التمويل الأجنبي للمنظمات غير الحكومية.",
           "تعرض صحفيون كانوا يغطون المظاهرة للضرب وصودرت كاميراتهم.",
           "فتحت النيابة العامة قضية جنائية ضد مدون بتهمة نشر معلومات كاذبة.",
           "حجبت السلطات الوصول إلى شبكات التواصل الاجتماعي في عدة مناطق لمدة ثلاثة أيام.",
           "منع مدافعون عن حقوق الإنسان من مغادرة البلاد في المطار.",
           "بعد ضغوط دولية أفرجت المحكمة بكفالة عن الصحفيين المحتجزين."],
}

OUTCOME = {
    "en": ["The case is pending.", "Charges were dropped.", "Sentenced to a fine.", "Released after 15 days."],
    "ru": ["Дело находится на рассмотрении.", "Обвинения сняты.", "Назначен штраф.", "Освобождены через 15 суток."],
    "fr": ["L'affaire est en cours.", "Les poursuites ont été abandonnées.", "Condamné à une amende.",
           "Libérés après 15 jours."],
    "es": ["El caso está pendiente.", "Se retiraron los cargos.", "Condenado a una multa.", "Liberados tras 15 días."],
    "ar": ["القضية قيد النظر.", "أسقطت التهم.", "حكم عليه بغرامة.", "أفرج عنهم بعد 15 يوما."],
}

BILL_TITLE = {
    "en": ["Law on {topic}", "Amendments to the law on {topic}", "Draft code on {topic}"],
    "ru": ["Закон о {topic}", "Поправки в закон о {topic}", "Проект кодекса о {topic}"],
    "fr": ["Loi relative à {topic}", "Amendements à la loi relative à {topic}", "Projet de code relatif à {topic}"],
    "es": ["Ley sobre {topic}", "Reformas a la ley sobre {topic}", "Proyecto de código sobre {topic}"],
    "ar": ["قانون بشأن {topic}", "تعديلات على القانون بشأن {topic}", "مشروع مدونة بشأن {topic}"],
}

BILL_TOPIC = {
    "en": ["foreign representatives", "mass media", "non-commercial organisations", "public assemblies",
           "information security", "countering extremism"],
    "ru": ["иностранных представителях", "средствах массовой информации", "некоммерческих организациях",
           "публичных собраниях", "информационной безопасности", "противодействии экстремизму"],
    "fr": ["les représentants étrangers", "les médias", "les organisations à but non lucratif",
           "les réunions publiques", "la sécurité de l'information", "la lutte contre l'extrémisme"],
    "es": ["representantes extranjeros", "medios de comunicación", "organizaciones sin fines de lucro",
           "reuniones públicas", "seguridad de la información", "la lucha contra el extremismo"],
    "ar": ["الممثلين الأجانب", "وسائل الإعلام", "المنظمات غير الربحية", "التجمعات العامة", "أمن المعلومات",
           "مكافحة التطرف"],
}

RATIONALE = {
    "en": "Civic space is deteriorating fast: {what} and {what2}.",
    "ru": "Гражданское пространство быстро сужается: {what} и {what2}.",
    "fr": "L'espace civique se dégrade rapidement : {what} et {what2}.",
    "es": "El espacio cívico se deteriora rápidamente: {what} y {what2}.",
    "ar": "يتدهور الفضاء المدني بسرعة: {what} و{what2}.",
}

WATCHLIST_TITLE = {
    "en": "New Watchlist: civic space in rapid decline",
    "ru": "Новый список наблюдения: гражданское пространство быстро сужается",
    "fr": "Nouvelle liste de surveillance : l'espace civique en déclin rapide",
    "es": "Nueva lista de vigilancia: el espacio cívico en rápido declive",
    "ar": "قائمة مراقبة جديدة: تراجع سريع للفضاء المدني",
}
