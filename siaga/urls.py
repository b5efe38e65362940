"""URL routes. The admin is the only web interface so far; every page needs a login."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "Siaga — administrasi"
admin.site.site_title = "Siaga"

urlpatterns = [
    path("admin/", admin.site.urls),
]
