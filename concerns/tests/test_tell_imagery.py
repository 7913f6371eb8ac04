"""P2 (A3): a pupil's words only. The pupils' page has no file box; a file posted anyway is refused; every picture,
video and archive sample written as text (each in one of the carriers, round the list, so every carrier and every
sample is tried) is refused with kind words that say what to do instead, keeping the rest of what they typed.
Nothing of it is stored. The same holds for the words added with a receipt code, and for the team's reply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concerns.forms import PUPIL_PICTURES
from concerns.models import Concern, PupilNote, PupilReport
from lib.imagery import find_imagery
from lib.tests import samples
from lib.tests.samples.encoded import CARRIERS, ORDINARY
from tests.figures import report, sweep, sweep_note
from tests.people import sign_in

from .tell_helpers import check, code_from, tell

pytestmark = pytest.mark.django_db
BEFORE = "A boy in year 6 sent me this"
AFTER = "and said he would tell everyone."


def _probes():
    carriers = list(CARRIERS.items())
    for index, (name, factory) in enumerate(sorted(samples.MEDIA.items())):
        carrier, write = carriers[index % len(carriers)]
        yield name, carrier, write(factory())
    for index, (carrier, write) in enumerate(carriers):  # every carrier with a picture, whatever the list's length
        yield "png", carrier, write(samples.png())


def test_r_p2_a3_every_picture_video_or_archive_written_as_text_is_refused_kindly(client, world):
    posted, failures = 0, []
    for name, carrier, text in sweep(_probes()):
        response = tell(client, world.oakfield, words=f"{BEFORE}\n{text}\n{AFTER}", name=f"Sam {posted}")
        posted += 1
        page = response.content.decode()
        if response.status_code != 422 or "We cannot take pictures or videos here" not in page \
                or BEFORE not in page or f"Sam {posted - 1}" not in page or "Report Remove" not in page:
            failures.append((name, carrier, response.status_code))
    assert failures == [] and Concern.objects.count() == 0 and PupilReport.objects.count() == 0
    report("pupils' page imagery probe", f"{posted} pictures, videos and archives written as text refused "
           f"kindly, none stored{sweep_note()}")


def test_r_p2_a_file_posted_to_the_pupils_page_is_refused_and_the_words_kept(client, world):
    for name, data in (("photo.png", samples.png()), ("clip.mp4", samples.mp4()), ("notes.txt", b"hello"),
                       ("photos.zip", samples.zip_with_photo())):
        response = client.post(reverse("tell:start", args=[world.oakfield.tell_code]), {
            "kind": "threats", "words": "He said he will share it.", "file": SimpleUploadedFile(name, data)})
        page = response.content.decode()
        assert response.status_code == 422 and "We cannot take pictures, videos or files here" in page, name
        assert "He said he will share it." in page
    assert Concern.objects.count() == 0


def test_r_p2_ordinary_words_that_only_look_encoded_are_taken(client, world):
    for index, text in enumerate(ORDINARY[:3]):
        response = tell(client, world.oakfield, words=f"He sent me this link: {text}")
        assert response.status_code == 200 and "Thank you for telling us" in response.content.decode(), index
    assert Concern.objects.count() == 3


def test_r_p2_words_added_with_the_code_and_the_teams_reply_take_no_pictures(client, world):
    code = code_from(tell(client, world.oakfield))
    picture = CARRIERS["bare base64"](samples.jpeg())
    added = check(client, world.oakfield, code, more=f"Here it is {picture}")
    assert added.status_code == 422 and PUPIL_PICTURES.split(".")[0] in added.content.decode()
    assert PupilNote.objects.count() == 0
    sign_in(client, world.diana)
    concern = Concern.objects.get()
    refused = client.post(reverse("concerns:pupil_reply", args=[concern.id]), {"reply": f"See {picture}"})
    assert refused.status_code == 200 and not find_imagery(PupilReport.objects.get().reply or "")
    assert PupilReport.objects.get().reply == ""
