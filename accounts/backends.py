"""Checking a password for a typed login: once per attempt, whatever the login names."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .logins import account_for_login


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (permissions as Django's), with every sign-in costing one password
    hash: the password of the one account the login names is checked, or, when it names none,
    a throw-away password is hashed instead. A registered address and an unknown one then
    take the same time, so timing tells nobody which addresses have accounts. (Django's
    ModelBackend beside allauth's hashed two or three times for a known address and twice
    for an unknown one.)"""

    def authenticate(self, request, **credentials):
        password = credentials.get("password")
        if not password:
            return None
        login = credentials.get("email") or credentials.get("username") or ""
        user = account_for_login(login)
        if user is None:
            self._mitigate_timing_attack(password)
            return None
        return self._check_password(user, password)
