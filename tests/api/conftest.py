import pytest

from accounts.tokens import access_token_create


class ApiClient:
    """The test client speaking JSON to /api/v1/, with a token when given one."""

    def __init__(self, client, token: str = ""):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data=None, **extra):
        path = path.removeprefix("http://testserver")
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method)
        headers = {**self.headers, **extra.pop("headers", {})}
        if method in ("get", "head"):
            return call(url, data, headers=headers, **extra)
        if data is None:
            return call(url, headers=headers, **extra)
        return call(url, data, content_type="application/json", headers=headers, **extra)

    def get(self, path, data=None, **extra):
        return self._call("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, **extra)


@pytest.fixture
def write_token(reader):
    return access_token_create(user=reader, name="script", scope="write")[1]


@pytest.fixture
def read_token(reader):
    return access_token_create(user=reader, name="reader", scope="read")[1]


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def writer_api(client, write_token):
    return ApiClient(client, write_token)


@pytest.fixture
def reader_api(client, read_token):
    return ApiClient(client, read_token)
