"""Rule A3 at the door: the report page refuses imagery by content and keeps everything typed."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from concerns.models import Concern, Statement
from lib.tests import samples
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


def files_under(*folders):
    found = set()
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            found |= {os.path.join(root, n) for n in names}
    return found


@pytest.mark.parametrize("make, disguise", [
    (samples.jpeg, ("statement.pdf", "application/pdf")),
    (samples.png, ("notes.txt", "text/plain")),
    (samples.heic, ("statement.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    (samples.mp4, ("statement.pdf", "application/pdf")),
    (samples.zip_with_photo, ("statement.docx", "application/octet-stream")),
    (samples.svg, ("statement.txt", "text/plain")),
])
def test_r_a3_imagery_is_refused_by_content_and_nothing_typed_is_lost(client, world, settings, tmp_path, make,
                                                                    disguise):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Where Django would spill an upload to disk: a private folder, so nothing else writes there.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    watched = [str(tmp_path)]
    before = files_under(*watched)
    sign_in(client, world.tom)
    data, milo = report_data(world)
    name, content_type = disguise
    data["statement"] = SimpleUploadedFile(name, make(), content_type=content_type)
    response = client.post(REPORT, data)
    page = response.content.decode().replace("&#39;", "'")
    assert response.status_code == 200 and Concern.objects.count() == 0
    assert "describe" in page.lower()  # the calm explanation, with what to do instead
    assert "Milo sent my photo to the group chat last night." in page and "Milo Bramblecott" in page
    assert "Locked drawer in the DSL" in page
    assert Statement.objects.count() == 0
    assert files_under(*watched) - before == set()
    assert AuditEvent.objects.filter(action="denied", object_type="statement_upload").count() == 1


def test_r_a3_a_written_statement_is_accepted_and_kept_in_the_database(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(client, world.tom)
    data, _ = report_data(world)
    data["statement"] = SimpleUploadedFile("statement.txt", "What I saw, in my words. Croeso 👍".encode(),
                                           content_type="text/plain")
    assert client.post(REPORT, data).status_code == 302
    statement = Statement.objects.get()
    assert statement.kind == "text" and bytes(statement.content).decode().startswith("What I saw")
    assert not (tmp_path / "media").exists()
