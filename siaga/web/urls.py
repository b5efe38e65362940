"""Routes of the web pages (Indonesian paths)."""

from django.urls import path

from siaga.web import board, escort, field, upload, views, workspace

app_name = "web"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rencana/<int:operation_id>/<int:version>/<str:name>", views.plan_download, name="plan-download"),
    # plan workspace (siaga.web.workspace)
    path("rencana/", workspace.workspace, name="workspace"),
    path("rencana/data.json", workspace.workspace_data, name="workspace-data"),
    path("rencana/pos/<str:post_id>/", workspace.post_panel, name="workspace-post"),
    path("rencana/<int:operation_id>/patok/", workspace.pin_add, name="workspace-pin"),
    path("rencana/<int:operation_id>/patok/hapus/", workspace.pin_remove, name="workspace-unpin"),
    path("rencana/<int:operation_id>/status/", workspace.stand_down, name="workspace-stand-down"),
    path("rencana/<int:operation_id>/susun-ulang/", workspace.replan, name="workspace-replan"),
    path("rencana/<int:operation_id>/banding/", workspace.compare, name="workspace-compare"),
    path("rencana/<int:operation_id>/<int:version>/terbitkan/", workspace.publish, name="workspace-publish"),
    path("peta/", views.map_page, name="map"),
    path("peta/data.json", views.map_data, name="map-data"),
    path("peta/tps/<str:code>/", views.tps_panel, name="tps"),
    path("peta/tps/<str:code>/kategori/", views.tps_category, name="tps-category"),
    path("personel/", views.personnel_list, name="personnel"),
    path("personel/<str:code>/status/", views.personnel_status, name="personnel-status"),
    path("satuan/", views.unit_list, name="units"),
    # ballot-logistics escort (siaga.web.escort)
    path("pengawalan/", escort.escort_page, name="escort"),
    path("pengawalan/kaki/<int:leg_id>/serah-terima/", escort.escort_checkin, name="escort-checkin"),
    path("pengawalan/kaki/<int:leg_id>/hilang/", escort.escort_missing, name="escort-missing"),
    # election day from the phone (siaga.web.field)
    path("posko/", board.board_page, name="board"),
    path("posko/data.json", board.board_data, name="board-data"),
    path("posko/events", board.board_events, name="board-events"),
    path("lapangan/", field.field_page, name="field"),
    path("lapangan/insiden/<int:incident_id>/foto/", field.incident_photo, name="incident-photo"),
    # data upload (siaga.web.upload)
    path("data/", upload.data_page, name="data"),
    path("data/templat/<str:kind>.csv", upload.data_template, name="data-template"),
    path("data/<str:token>/", upload.data_preview, name="data-preview"),
    path("data/<str:token>/simpan/", upload.data_confirm, name="data-confirm"),
    path("data/<str:token>/batal/", upload.data_cancel, name="data-cancel"),
]
