// Harbour front-end entry point. Load with:
//   <script type="module" src="{% static 'harbour/harbour.js' %}"></script>
// No inline script is allowed (CSP script-src 'self' + nonce), so the classes
// GOV.UK Frontend's page template normally adds with an inline script are
// added here. Module scripts are deferred, so <body> exists when this runs.
import { initAll as initGovukFrontend } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();
