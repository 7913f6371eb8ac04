from django.urls import path

from concerns import encompass_views, group_views, tell_views, views

app_name = "concerns"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/draft/", views.save_draft, name="draft"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("report/pupils/", views.pupil_search, name="pupil_search"),
    path("report/pupils/<int:pupil_id>/", views.child_row, name="child_row"),
    path("my-reports/", views.my_reports, name="mine"),
    path("my-reports/<int:concern_id>/", views.submitted, name="submitted"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:concern_id>/", views.detail, name="detail"),
    path("<int:concern_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:concern_id>/open-case/", views.open_case, name="open_case"),
    path("<int:concern_id>/add-to-case/", views.add_to_case, name="add_to_case"),
    # P1–P5: a pupil's report from the pupils' page; the team's reply and closing with a reason; the poster.
    path("<int:concern_id>/pupil-reply/", tell_views.reply, name="pupil_reply"),
    path("<int:concern_id>/pupil-close/", tell_views.close, name="pupil_close"),
    path("pupils-page/", tell_views.poster, name="pupil_poster"),
    path("pupils-page/poster.pdf", tell_views.poster_pdf, name="pupil_poster_pdf"),
    path("pupils-page/new-address/", tell_views.new_code, name="pupil_new_code"),
    # P7: monitoring alerts triaged as a class.
    path("alert-groups/<int:group_id>/", group_views.detail, name="alert_group"),
    path("alert-groups/<int:group_id>/split/", group_views.split, name="alert_group_split"),
    path("alert-groups/<int:group_id>/close/", group_views.close, name="alert_group_close"),
    path("alert-groups/<int:group_id>/cases/", group_views.open_cases, name="alert_group_cases"),
    # J4: Operation Encompass.
    path("police-notice/", encompass_views.notice_new, name="police_notice"),
    path("<int:concern_id>/key-adult/", encompass_views.key_adult, name="key_adult"),
]
