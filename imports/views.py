"""The trust administrator's upload page for MIS exports. The file is held in memory only
(lib.uploads.StatementUploadHandler) and checked by its content before it is read (A3)."""

from django.shortcuts import render

from accounts.capabilities import Capability
from audit.log import record_refusal
from imports.actions import ImportRefused, import_people
from imports.forms import UploadForm
from lib.uploads import TOO_LARGE_VERDICT, check_statement, explanation
from schools.access import require
from schools.current import current_school


def upload(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    result, error, full = None, None, False
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        form.is_valid()  # nothing here is refused by the form: the file is judged below, by its content
        full, upload = form.cleaned_data.get("full", False), form.cleaned_data.get("file")
        if upload is None:
            error = "Choose the CSV file exported from your MIS."
        elif check_statement(upload) == TOO_LARGE_VERDICT:
            error = explanation(TOO_LARGE_VERDICT).replace("Everything else you typed has been kept.", "").strip()
        else:
            upload.seek(0)
            try:
                result = import_people(school=school, data=upload.read(), actor=request.user, full=full)
            except ImportRefused as exc:
                error = str(exc)
                record_refusal(actor=request.user, object_type="people_import", school=school,
                               reason="file_refused")
    return render(request, "imports/upload.html", {"school": school, "result": result, "error": error, "full": full},
                  status=422 if error else 200)
