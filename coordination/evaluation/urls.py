from django.urls import path, re_path

from coordination.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:fiscal_year>/", views.document_detail, name="detail"),
    re_path(r"^(?P<fiscal_year>\d{4})/file\.(?P<kind>pdf|docx)$", views.document_file, name="file"),
    path("<int:fiscal_year>/review/", views.document_review, name="review"),
    path("<int:fiscal_year>/start-next-year/", views.start_next_year, name="start_next_year"),
]
