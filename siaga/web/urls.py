"""Routes of the web pages (Indonesian paths)."""

from django.urls import path

from siaga.web import views

app_name = "web"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rencana/<int:operation_id>/<int:version>/<str:name>", views.plan_download, name="plan-download"),
    path("peta/", views.map_page, name="map"),
    path("peta/data.json", views.map_data, name="map-data"),
    path("peta/tps/<str:code>/", views.tps_panel, name="tps"),
    path("peta/tps/<str:code>/kategori/", views.tps_category, name="tps-category"),
    path("personel/", views.personnel_list, name="personnel"),
    path("personel/<str:code>/status/", views.personnel_status, name="personnel-status"),
    path("satuan/", views.unit_list, name="units"),
]
