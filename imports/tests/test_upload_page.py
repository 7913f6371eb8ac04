"""The trust administrator's upload page: access ladder (H3), import in memory, imagery refused (A3)."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from lib.tests import samples
from schools.models import Pupil
from tests.people import make_user, sign_in

from .test_import_people import PUPILS

pytestmark = pytest.mark.django_db
UPLOAD = reverse("imports:upload")


def csv_file(text=PUPILS, name="pupils.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_r_h3_upload_page_access_ladder(client, world):
    assert client.get(UPLOAD)["Location"].startswith(reverse("accounts:login"))
    for stranger in (world.diana, world.hana, world.tom, world.lena):
        sign_in(client, stranger)
        assert client.get(UPLOAD).status_code == 404, stranger
        assert client.post(UPLOAD, {"file": csv_file()}).status_code == 404, stranger
    other_admin = make_user("oli@elmtree.example", "Oli Admin", trust=world.other_trust,
                            trust_role="trust_administrator")
    sign_in(client, other_admin)
    client.post(UPLOAD, {"file": csv_file()})  # imports into Elmtree, its own school, never Oakfield
    assert not Pupil.objects.filter(school=world.oakfield, upn="B100000000001").exists()
    sign_in(client, world.adam)
    assert client.get(UPLOAD).status_code == 200


def test_the_administrator_imports_a_file_and_sees_bad_lines(client, world):
    sign_in(client, world.adam)
    response = client.post(UPLOAD, {"file": csv_file(PUPILS + "B100000000009,Zed,Zoe,,01/01/2014,F,Year 99,N,N\r\n"),
                                    "full": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 rows read (pupils): 3 added, 1 marked as left; 1 row not imported." in page
    assert "Year &#39;Year 99&#39; is not a year group" in page and ">5</td>" in page and "in your MIS" not in page
    world.pupil.refresh_from_db()
    assert world.pupil.left_on is not None
    assert AuditEvent.objects.filter(object_type="pupil", action="create", actor=world.adam).count() == 3


@pytest.mark.parametrize("make", [samples.png, samples.jpeg, samples.heic, samples.zip_with_photo])
def test_r_a3_an_image_named_csv_is_refused_and_nothing_is_kept(client, world, settings, tmp_path, make):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    sign_in(client, world.adam)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("pupils.csv", make(), content_type="text/csv")})
    assert response.status_code == 422
    assert "cannot accept it" in response.content.decode() or "archive" in response.content.decode()
    assert os.listdir(tmp_path) == [] and Pupil.objects.count() == 2
    assert AuditEvent.objects.filter(action="denied", object_type="people_import").count() == 1


def test_no_file_is_a_clear_error(client, world):
    sign_in(client, world.adam)
    response = client.post(UPLOAD, {})
    assert response.status_code == 422 and "Choose the CSV file" in response.content.decode()
