"""I1, J6 daily sweep: alert the owner and headteacher of each policy whose review has become overdue, and those
same people when the yearly filtering and monitoring review has.

Run it from cron once a day (for example at 07:00). Each overdue review is alerted once, however
often this runs; a policy alerted before is alerted again only after a new review date passes.
"""

from django.core.management.base import BaseCommand

from registers.actions import alert_overdue_filtering_reviews, alert_overdue_policy_reviews


class Command(BaseCommand):
    help = ("Alert owners and headteachers about overdue policy reviews and filtering and monitoring reviews "
            "(idempotent: safe to run often).")

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true",
                            help="Queue the job for the background worker instead of running it here.")

    def handle(self, *args, **options):
        if options["queue"]:
            from registers.tasks import alert_overdue_reviews

            alert_overdue_reviews.enqueue()
            self.stdout.write("Queued the overdue policy review alerts for the background worker")
            return
        count = alert_overdue_policy_reviews()
        filtering = alert_overdue_filtering_reviews()
        self.stdout.write(f"{count} overdue policy review(s) alerted; {filtering} overdue filtering and monitoring "
                          "review(s) alerted")
