"""The production stack on one Debian machine, all state under one folder (default var/stack/).

    python -m deploy.stack start   # what `make stack` runs
    python -m deploy.stack stop    # what `make stack-stop` runs
    python -m deploy.stack status

Parts (each started here, each stopped by the id recorded in DIR/run/, never by name):
- PostgreSQL primary and a streaming replica: two clusters made with initdb and pg_basebackup (Debian's
  postgresql-15 binaries), each on its own port, run as the postgres user when we are root;
- Redis (redis-server) with nothing on disk: cache, rate limits;
- APP_SERVERS gunicorn app servers, each its own process group on its own port;
- one task worker (`civicspace task_worker`);
- nginx: TLS (a self-signed certificate for a local trial unless TLS_CERT and TLS_KEY name real files), HTTP/2,
  static files, the front cache, the app servers as its upstream.

The same class starts the stack of the fault tests (tests/integration/test_stack_faults.py) on free ports.
"""
import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DEFAULT_PORTS = {"https": 8443, "http": 8080, "app": 8101, "primary": 5441, "replica": 5442, "redis": 6391}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port, timeout=30.0, what="service"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start listening on 127.0.0.1:{port} within {timeout:.0f}s")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Stack:
    def __init__(self, directory, *, ports=None, app_servers=2, workers=None, threads=None, worker_class=None,
                 env=None, quiet=False):
        self.dir = Path(directory).resolve()
        self.run_dir, self.log_dir = self.dir / "run", self.dir / "log"
        self.ports = dict(DEFAULT_PORTS if ports is None else ports)
        saved = self.dir / "ports.json"
        if saved.exists():  # the clusters' ports are written into their configuration: keep them
            previous = json.loads(saved.read_text())
            self.ports.update(primary=previous["primary"], replica=previous["replica"])
        self.app_ports = [self.ports["app"] + i for i in range(app_servers)] if "app_ports" not in self.ports \
            else self.ports["app_ports"]
        self.workers = int(workers or os.environ.get("APP_WORKERS", 2))
        self.threads = int(threads or os.environ.get("APP_THREADS", 4))
        self.worker_class = worker_class or os.environ.get("APP_WORKER_CLASS", "gthread")
        self.extra_env = dict(env or {})
        self.quiet = quiet
        self.as_root = os.geteuid() == 0

    # ---------------------------------------------------------------- helpers
    def say(self, message):
        if not self.quiet:
            print(f"[stack {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def _pg_run(self, args, **kwargs):
        """Run a PostgreSQL binary as the postgres user (PostgreSQL refuses to run as root)."""
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def _pidfile(self, name):
        return self.run_dir / f"{name}.pid"

    def _spawn(self, name, command, env):
        """Start a process in its own process group, logging to DIR/log/NAME.log; remember its pid."""
        log = open(self.log_dir / f"{name}.log", "ab")
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self._pidfile(name).write_text(str(process.pid))
        return process.pid

    def pid(self, name):
        try:
            return int(self._pidfile(name).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    @property
    def primary_url(self):
        return f"postgres://postgres@127.0.0.1:{self.ports['primary']}/civicspace"

    @property
    def replica_url(self):
        return f"postgres://postgres@127.0.0.1:{self.ports['replica']}/civicspace"

    @property
    def redis_url(self):
        return f"redis://127.0.0.1:{self.ports['redis']}/0"

    @property
    def base_url(self):
        return f"https://localhost:{self.ports['https']}"

    def secret_key(self):
        path = self.dir / "secret_key"
        if not path.exists():
            import secrets

            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def app_env(self):
        """The production settings' environment (README "Production" lists every variable)."""
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "civicspace.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or self.secret_key(),
            "DATABASE_URL": self.primary_url,
            "DATABASE_REPLICA_URL": self.replica_url,
            "REDIS_URL": self.redis_url,
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1"),
            "CSRF_TRUSTED_ORIGINS": os.environ.get("CSRF_TRUSTED_ORIGINS", self.base_url),
            "SITE_URL": os.environ.get("SITE_URL", self.base_url),
            "STATIC_ROOT": str(self.dir / "static"),
        })
        env.update(self.extra_env)
        return env

    def manage(self, *args, check=True):
        return subprocess.run([str(PROJECT / ".venv/bin/civicspace"), *args], cwd=PROJECT, env=self.app_env(),
                              check=check, capture_output=True, text=True)

    # ---------------------------------------------------------------- PostgreSQL
    def _cluster_conf(self, data, port):
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"\n# deploy/stack.py\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.dir / 'pg'}'\nwal_level = replica\n"
                       "max_wal_senders = 5\nhot_standby = on\nmax_connections = 200\n"
                       "shared_buffers = 128MB\nlogging_collector = off\n")

    def pg_ctl(self, name, action):
        data = self.dir / "pg" / name
        args = ["pg_ctl", "-D", str(data), "-w", "-t", "60"]
        if action == "start":
            args += ["-l", str(self.dir / "pg" / f"{name}.log"), "start"]
        else:
            args += ["-m", "fast", "stop"]
        return self._pg_run(args)

    def pg_running(self, name):
        pidfile = self.dir / "pg" / name / "postmaster.pid"
        if not pidfile.exists():
            return False
        return _alive(int(pidfile.read_text().split()[0]))

    def start_postgres(self):
        pg = self.dir / "pg"
        pg.mkdir(exist_ok=True)
        if self.as_root:
            shutil.chown(pg, "postgres", "postgres")
        primary, replica = pg / "primary", pg / "replica"
        if not primary.exists():
            self.say("initdb: PostgreSQL primary")
            self._pg_run(["initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--locale=C.UTF-8"])
            self._cluster_conf(primary, self.ports["primary"])
            with open(primary / "pg_hba.conf", "a") as hba:
                hba.write("host replication all 127.0.0.1/32 trust\n")
        if not self.pg_running("primary"):
            self.pg_ctl("primary", "start")
        _wait_port(self.ports["primary"], what="PostgreSQL primary")
        exists = self._pg_run(["psql", "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
                               "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'civicspace'"]).stdout.strip()
        if exists != "1":
            self._pg_run(["createdb", "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
                          "civicspace"])
        if not replica.exists():
            self.say("pg_basebackup: streaming replica")
            self._pg_run(["pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
                          "-D", str(replica), "-R", "-X", "stream", "--checkpoint=fast"])
            with open(replica / "postgresql.auto.conf", "a") as conf:
                conf.write(f"port = {self.ports['replica']}\n")
        if not self.pg_running("replica"):
            self.pg_ctl("replica", "start")
        _wait_port(self.ports["replica"], what="PostgreSQL replica")

    def copy_database(self, source_url):
        """Fill the empty primary with the tables and rows of another database (the fault tests copy the
        test database that the suite already filled with the reference data)."""
        target = ["-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres"]
        dump = subprocess.Popen([str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", source_url],
                                stdout=subprocess.PIPE)
        subprocess.run([str(PG_BIN / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", "civicspace"],
                       stdin=dump.stdout, check=True, capture_output=True)
        dump.stdout.close()
        if dump.wait() != 0:
            raise RuntimeError(f"pg_dump {source_url} failed")

    # ---------------------------------------------------------------- Redis
    def start_redis(self):
        if self.pid("redis") and _alive(self.pid("redis")):
            return
        self._spawn("redis", ["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1",
                              "--dir", str(self.dir), "--save", "", "--appendonly", "no"], dict(os.environ))
        _wait_port(self.ports["redis"], what="Redis")

    def stop_redis(self):
        self._stop("redis")

    # ---------------------------------------------------------------- app servers and worker
    def start_app(self, port):
        name = f"app-{port}"
        if self.pid(name) and _alive(self.pid(name)):
            return
        command = [str(PROJECT / ".venv/bin/gunicorn"), "civicspace.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(self.workers), "--worker-class", self.worker_class,
                   "--forwarded-allow-ips", "127.0.0.1", "--graceful-timeout", "5", "--timeout", "60"]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        self._spawn(name, command, self.app_env())

    def wait_app(self, port, timeout=60.0):
        _wait_port(port, timeout=timeout, what=f"app server {port}")

    def start_worker(self):
        if self.pid("worker") and _alive(self.pid("worker")):
            return
        self._spawn("worker", [str(PROJECT / ".venv/bin/civicspace"), "task_worker", "--interval", "0.2",
                               "--no-startup-delay", "--queue-name", "*"], self.app_env())

    # ---------------------------------------------------------------- nginx
    def tls_paths(self):
        cert, key = os.environ.get("TLS_CERT"), os.environ.get("TLS_KEY")
        if cert and key:
            return cert, key
        cert, key = self.dir / "tls" / "cert.pem", self.dir / "tls" / "key.pem"
        if not cert.exists():
            self.say("openssl: self-signed certificate for localhost (a local trial; set TLS_CERT/TLS_KEY)")
            cert.parent.mkdir(exist_ok=True)
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
                            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                            "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
            key.chmod(0o600)
        return str(cert), str(key)

    def write_nginx_conf(self, app_ports=None):
        cert, key = self.tls_paths()
        ports = self.app_ports if app_ports is None else app_ports
        nginx = self.dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
            (nginx / sub).mkdir(parents=True, exist_ok=True)
        user = ""
        if self.as_root:  # worker processes drop root; they write the cache and read the static files
            user = "user www-data;" if _user_exists("www-data") else "user nobody nogroup;"
            owner = "www-data" if _user_exists("www-data") else "nobody"
            for path in [nginx, *nginx.iterdir()]:
                shutil.chown(path, owner)
        upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in ports)
        access_log = os.environ.get("NGINX_ACCESS_LOG", "off")
        text = (PROJECT / "deploy" / "nginx.conf.template").read_text()
        for name, value in {"USER": user, "DIR": str(self.dir), "UPSTREAMS": upstreams,
                            "HTTP_PORT": self.ports["http"], "HTTPS_PORT": self.ports["https"],
                            "LISTEN": os.environ.get("NGINX_LISTEN", "127.0.0.1"), "TLS_CERT": cert,
                            "TLS_KEY": key, "STATIC_ROOT": str(self.dir / "static"),
                            "ACCESS_LOG": access_log}.items():
            text = text.replace(f"@@{name}@@", str(value))
        conf = nginx / "nginx.conf"
        conf.write_text(text)
        return conf

    def nginx(self, *args):
        return subprocess.run(["nginx", "-c", str(self.dir / "nginx" / "nginx.conf"), "-p", str(self.dir / "nginx"),
                               "-e", str(self.log_dir / "nginx-error.log"), *args],
                              check=True, capture_output=True, text=True)

    def start_nginx(self):
        self.write_nginx_conf()
        self.nginx("-t")
        pid = self.pid("nginx")
        if pid and _alive(pid):
            self.nginx("-s", "reload")
        else:
            self.nginx()
        _wait_port(self.ports["https"], what="nginx")

    # ---------------------------------------------------------------- whole stack
    def start(self, *, data="full"):
        for path in (self.dir, self.run_dir, self.log_dir):
            path.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            # PostgreSQL runs as the postgres user and nginx's workers as www-data: they cross these folders.
            for parent in [self.dir, *self.dir.parents]:
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o005)
        (self.dir / "ports.json").write_text(json.dumps({**self.ports, "app_ports": self.app_ports}))
        self.start_postgres()
        self.start_redis()
        if isinstance(data, str) and data.startswith("postgres://"):
            self.say("copying the data of an existing database (pg_dump | psql)")
            self.copy_database(data)
        self.say("migrate (primary only)")
        self.manage("migrate", "--noinput", "-v", "0")
        if data == "full":
            self.say("reference data, demo content, search index, guiding scores")
            self.manage("load_reference_data")
            self.manage("load_demo_content")
            self.manage("search_reindex")
            self.manage("compute_scores")
        self.say("static files")
        self.manage("collectstatic", "--noinput", "-v", "0")
        for port in self.app_ports:
            self.start_app(port)
        self.start_worker()
        for port in self.app_ports:
            self.wait_app(port)
        self.start_nginx()
        self.wait_healthy()
        self.say(f"up: {self.base_url}/ (app servers {', '.join(map(str, self.app_ports))}; "
                 f"PostgreSQL {self.ports['primary']} + replica {self.ports['replica']}; Redis {self.ports['redis']})")

    def wait_healthy(self, timeout=30.0):
        import ssl

        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"https://127.0.0.1:{self.ports['https']}/healthz", context=context,
                                            timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the stack did not answer /healthz through nginx")
            time.sleep(0.2)

    def _stop(self, name, sig=signal.SIGTERM, timeout=15.0):
        pid = self.pid(name)
        if not pid:
            return
        if _alive(pid):
            try:
                os.killpg(pid, sig)  # the process group this script created for it
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                _reap(pid)
                time.sleep(0.05)
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
            _reap(pid)
        self._pidfile(name).unlink(missing_ok=True)

    def kill_app(self, port, sig=signal.SIGKILL):
        self._stop(f"app-{port}", sig=sig)

    def stop_worker(self, sig=signal.SIGTERM):
        self._stop("worker", sig=sig)

    def stop(self):
        self.say("stopping nginx, the worker, the app servers, Redis, PostgreSQL")
        pid = self.pid("nginx")
        if pid and _alive(pid):
            try:
                self.nginx("-s", "quit")
            except subprocess.CalledProcessError:
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        self._pidfile("nginx").unlink(missing_ok=True)
        self.stop_worker()
        apps = [p.stem for p in sorted(self.run_dir.glob("app-*.pid"))] if self.run_dir.exists() else []
        for name in apps:  # all at once: each finishes its requests (graceful timeout) in parallel
            pid = self.pid(name)
            if pid and _alive(pid):
                try:
                    os.killpg(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name in apps:
            self._stop(name)
        self.say("app servers stopped")
        self.stop_redis()
        for name in ("replica", "primary"):
            if self.pg_running(name):
                self.pg_ctl(name, "stop")
        self.say("stopped")

    def status(self):
        rows = {"nginx": self.pid("nginx"), "worker": self.pid("worker"), "redis": self.pid("redis")}
        for pidfile in sorted(self.run_dir.glob("app-*.pid")):
            rows[pidfile.stem] = self.pid(pidfile.stem)
        for name, pid in rows.items():
            print(f"{name:12} {'running' if pid and _alive(pid) else 'stopped'} {pid or ''}")
        for name in ("primary", "replica"):
            print(f"pg {name:9} {'running' if self.pg_running(name) else 'stopped'}")


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _user_exists(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--dir", default=os.environ.get("STACK_DIR", str(PROJECT / "var" / "stack")))
    parser.add_argument("--app-servers", type=int, default=int(os.environ.get("APP_SERVERS", 2)))
    args = parser.parse_args(argv)
    ports = {key: int(os.environ.get(f"STACK_{key.upper()}_PORT", value)) for key, value in DEFAULT_PORTS.items()}
    stack = Stack(args.dir, ports=ports, app_servers=args.app_servers)
    if args.action == "start":
        stack.start()
    elif args.action == "stop":
        stack.stop()
    else:
        stack.status()


if __name__ == "__main__":
    sys.exit(main())
