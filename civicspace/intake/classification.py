"""Field registry entries of the intake app (see civicspace/core/classification.py).

The intake assistant has no model: a pasted or uploaded text is analysed in the request, the suggestions travel
in the review form, and nothing is stored until the partner accepts them — then only through the monitoring
services, whose models are classified in civicspace/monitoring/classification.py.
"""
FIELDS = {}
