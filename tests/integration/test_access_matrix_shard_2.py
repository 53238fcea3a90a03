"""Shard 2 of the access matrix (tests/integration/test_access_matrix.py has the rows, the rules and shard 0): a
file of its own so that the parallel run spreads the matrix over both workers."""
import pytest

from tests.integration.test_access_matrix import check_routes, group_id, objects, route_groups  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.permissions
@pytest.mark.parametrize("routes", route_groups(2), ids=group_id)
def test_access_matrix(people, objects, settings, routes):
    check_routes(people, objects, settings, routes)
