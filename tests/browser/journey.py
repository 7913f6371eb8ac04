"""Counting what a journey costs the people who walk it (issue 20): pages, form fields and single ticks.

A `Journey` watches a Playwright page: every document the browser asks for is a page (a form posted is a page
too, and also counted as a post; a redirect after a post is not counted again), and every htmx request is an
update within a page. The test fills fields through `fill`, `check` and `choose`, so the fields counted are the
ones a person had to fill or tick. Signing in is not counted (`with journey.paused():`): it is the same for every
journey and not part of the incident's work.
"""

import contextlib


from tests.figures import report


class Journey:
    def __init__(self, page, name):
        self.page, self.name = page, name
        self.pages = self.posts = self.updates = self.fields = self.ticks = self.together_steps = 0
        self._counting = True
        self._in_flight = set()
        page.on("request", self._request)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def _done(self, request):
        self._in_flight.discard(request)

    def _request(self, request):
        if request.headers.get("hx-request") == "true":
            self._in_flight.add(request)
        if not self._counting:
            return
        if request.resource_type == "document":
            if request.redirected_from is not None and request.redirected_from.method == "POST":
                return  # the page after a post is the post's answer, already counted
            self.pages += 1
            if request.method == "POST":
                self.posts += 1
        elif request.headers.get("hx-request") == "true" and request.method == "POST":
            self.updates += 1

    @contextlib.contextmanager
    def paused(self):
        self._counting = False
        try:
            yield
        finally:
            self._counting = True

    def settle(self):
        """Wait for the page's htmx requests to finish, as a person waits for the page to answer. The test server's
        in-memory SQLite refuses a second writer outright (a locked table) rather than waiting its turn.

        A condition, not a fixed pause: htmx marks the element whose request is in flight (its `htmx-request`
        class) in the same event handler that sends it, so once a tick's change event has been dispatched the page
        itself says whether anything is still on its way; a queued request is sent in the same task that lifts
        the mark of the one before it, so the page shows no gap between them."""
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")
        for _ in range(200):
            if not self._in_flight:
                return
            self.page.wait_for_timeout(50)

    def fill(self, locator, value):
        locator.fill(value)
        self.fields += 1
        self.settle()

    def check(self, locator):
        locator.check()
        self.fields += 1
        self.settle()

    def tick(self):
        """One step of the action plan marked done on its own page."""
        self.ticks += 1

    def together(self, steps):
        """Several steps marked done on one form with one reason (B10)."""
        self.together_steps += steps

    def figures(self):
        return {"pages": self.pages, "posts": self.posts, "updates": self.updates, "fields": self.fields,
                "ticks": self.ticks, "together": self.together_steps}

    def report(self):
        f = self.figures()
        report(f"journey, {self.name}", f"{f['pages']} pages ({f['posts']} forms posted, {f['updates']} in-page "
                                        f"updates), {f['fields']} fields filled, {f['ticks']} single ticks, "
                                        f"{f['together']} steps done together with one reason")
        return f
