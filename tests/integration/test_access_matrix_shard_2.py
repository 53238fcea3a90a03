"""Shard 2 of the access matrix (tests/integration/test_access_matrix.py has the rows, the rules and shard 0): a
file of its own so that the parallel run spreads the matrix over both workers."""
import pytest

from tests.integration.test_access_matrix import check_route, objects, route_shard  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.permissions
@pytest.mark.parametrize("route", route_shard(2))
def test_access_matrix(people, objects, settings, route):
    check_route(people, objects, settings, route)
