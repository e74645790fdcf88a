from django.urls import path

from . import account_views, archive_views, claim_views, reading_views, record_views, security_views, views

app_name = "portal"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("<slug:province>/", views.province_home, name="home"),
    path("<slug:province>/notices/", views.notice_list, name="notices"),
    path("<slug:province>/notices/<int:notice_id>/", views.notice_detail, name="notice"),
    path("<slug:province>/directory/", views.directory_page, name="directory"),
    path("<slug:province>/register/", account_views.register, name="register"),
    path("<slug:province>/login/", account_views.login, name="login"),
    path("<slug:province>/password-reset/", account_views.password_reset, name="password_reset"),
    path("<slug:province>/activate/", account_views.activate, name="activate"),
    path("<slug:province>/me/", account_views.me, name="me"),
    path("<slug:province>/me/password/", security_views.password, name="change_password"),
    path("<slug:province>/me/mobile/", security_views.mobile, name="change_mobile"),
    path("<slug:province>/id-claim/", claim_views.claim, name="id_claim"),
    path("<slug:province>/id-claim/status/", claim_views.claim_status, name="id_claim_status"),
    path("<slug:province>/logout/", account_views.logout, name="logout"),
    path("<slug:province>/archive/", archive_views.archive, name="archive"),
    path("<slug:province>/archive/change/", archive_views.start_change, name="start_change"),
    path("<slug:province>/archive/change/<int:request_id>/withdraw/", archive_views.withdraw, name="withdraw_change"),
    path("<slug:province>/archive/transfer/", archive_views.transfer, name="transfer"),
    path("<slug:province>/record/", record_views.start, name="record"),
    path("<slug:province>/record/work-proof.pdf", record_views.work_proof_form, name="work_proof_form"),
    path("<slug:province>/record/basic-info.pdf", record_views.basic_info_form, name="basic_info_form"),
    path("<slug:province>/record/<slug:key>/", record_views.step, name="record_step"),
    path(
        "<slug:province>/record/materials/readings/",
        reading_views.material_readings_json,
        name="material_readings",
    ),
    path("<slug:province>/record/materials/<slug:kind>/<int:item>/", record_views.material_file, name="material_file"),
    path(
        "<slug:province>/record/materials/<slug:kind>/<int:item>/thumb/",
        record_views.material_thumbnail,
        name="material_thumbnail",
    ),
    path("<slug:province>/oidc/start/", account_views.oidc_start, name="oidc_start"),
    path("<slug:province>/oidc/callback/", account_views.oidc_callback, name="oidc_callback"),
    path("<slug:province>/oidc/complete/", account_views.oidc_complete, name="oidc_complete"),
]
