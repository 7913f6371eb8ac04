import uuid

from audit import context


class RequestIdMiddleware:
    """Give each request an id, echoed in a header and stamped on its audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = context.request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


# URL keyword → (audit object type, model). The first keyword present names the record a page is about.
RECORD_KWARGS = {
    "case_id": ("case", "cases.Case"),
    "concern_id": ("concern", "concerns.Concern"),
    "transfer_id": ("transfer", "transfers.Transfer"),
    "received_id": ("received_file", "transfers.ReceivedFile"),
    "pupil_id": ("pupil", "schools.Pupil"),
    "subject_id": ("pupil", "schools.Pupil"),
    "request_id": ("disposal_request", "records.DisposalRequest"),
    "group_id": ("alert_group", "concerns.AlertGroup"),  # P7: monitoring alerts triaged together
}


class RecordReadMiddleware:
    """Every page that shows a record is a read of it, and every read is on the audit trail (H2).

    Views that show a record write their own, more specific event (`view` or `export`). This is the safety net
    for the rest — a form about a case shows the case too: when a page about a record was served (200) and the
    view wrote no view or export event, one `view` event is written here, before the response leaves. If that
    write fails the person gets the error page, never the record.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.records_read.set(frozenset())
        try:
            response = self.get_response(request)
            if response.status_code == 200 and not context.records_read.get():
                self._record(request)
        finally:
            context.records_read.reset(token)
        return response

    @staticmethod
    def _record(request):
        match = getattr(request, "resolver_match", None)
        if match is None or not request.user.is_authenticated:
            return
        for keyword, (object_type, model_name) in RECORD_KWARGS.items():
            if keyword in match.kwargs:
                from django.apps import apps

                from audit.log import Action, record

                model = apps.get_model(model_name)
                school = model.objects.filter(pk=match.kwargs[keyword]).values_list("school_id", flat=True).first()
                record(actor=request.user, action=Action.VIEW, object_type=object_type,
                       object_id=match.kwargs[keyword], school=school, detail={"page": match.view_name})
                return
