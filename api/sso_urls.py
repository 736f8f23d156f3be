"""The allauth routes single sign-on needs, under /accounts/ — and no local password pages:
allauth's own sign-in, sign-up and password reset are not served; names its flows redirect to
go back to the PWA's sign-in screen."""

from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path
from django.views.generic import RedirectView

_pwa_login = RedirectView.as_view(url="/#/login")

urlpatterns = [
    path("", include(oidc_urls)),  # oidc/<id>/login/ and .../login/callback/
    path("", include(saml_urls)),  # saml/<id>/login/, acs/, acs/finish/, sls/, metadata/
    path("social/", include("allauth.socialaccount.urls")),
    path("login/", _pwa_login, name="account_login"),
    path("signup/", _pwa_login, name="account_signup"),
    path("logout/", _pwa_login, name="account_logout"),
    path(
        "inactive/",
        RedirectView.as_view(url="/?sso_error=inactive#/login"),
        name="account_inactive",
    ),
]
