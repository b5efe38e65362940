"""URL routes: the login page, the admin, the JSON API, the language switch and the web pages (siaga.web). Every other page needs a login
(LoginRequiredMiddleware); the API answers 401 JSON instead of redirecting."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from siaga.accounts.views import SiagaLoginView
from siaga.api.main import api_urls

admin.site.site_header = "Siaga — administrasi"
admin.site.site_title = "Siaga"

urlpatterns = [
    path("login/", SiagaLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urls()[:2], namespace="api-v1")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("siaga.web.urls")),
]
