// Harbour front-end entry point. Load with:
//   <script type="module" src="{% static 'harbour/harbour.js' %}"></script>
// GOV.UK Frontend's page template sets `js-enabled govuk-frontend-supported` on
// <body> with its first, nonce'd inline script, before anything is drawn (so the
// CSS can lay out each component as its script will leave it: issue 26). Adding
// them again here is harmless and keeps a page whose inline script was refused
// working. Module scripts are deferred, so <body> exists when this runs.
import { initAll as initGovukFrontend } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();

// Report page: remove a child's row (no inline handlers: the CSP forbids them).
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-remove-child]')
  if (!button) return
  const row = document.getElementById(button.dataset.removeChild)
  const form = row && row.closest('form')
  if (row) row.remove()
  if (form) form.dispatchEvent(new Event('change', { bubbles: true }))
  const search = document.getElementById('child-search')
  if (search) search.focus()
})

// After a child is added, clear the search and move focus to that child's question.
document.addEventListener('htmx:afterSwap', (event) => {
  if (event.detail.target.id !== 'children') return
  const rows = event.detail.target.querySelectorAll('.harbour-child')
  const added = rows[rows.length - 1]
  const search = document.getElementById('child-search')
  const results = document.getElementById('pupil-results')
  if (search) search.value = ''
  if (results) results.innerHTML = ''
  const first = added && added.querySelector('input[type=radio]')
  if (first) first.focus()
})

// A background request that lands on the sign-in page means the session ended. Say so
// calmly instead of pasting the sign-in page into the page: every autosave already reached
// the server, so the draft comes back after signing in.
document.addEventListener('htmx:beforeSwap', (event) => {
  const landed = event.detail.xhr && event.detail.xhr.responseURL
  if (!landed || !landed.includes('/account/sign-in/')) return
  event.detail.shouldSwap = false
  const status = document.getElementById('draft-status')
  if (status) {
    status.textContent = 'You have been signed out. What you typed is saved: sign in again to carry on.'
  }
})

// The autosave refused as too large (harbour/limits.py answers in plain words): say so beside the form, while
// everything typed is still on the screen, so it can be shortened before it is sent.
document.addEventListener('htmx:responseError', (event) => {
  const xhr = event.detail.xhr
  const status = document.getElementById('draft-status')
  if (!status || event.detail.elt !== status || !xhr || xhr.status !== 413) return
  status.textContent = xhr.responseText
})

// A recorded message's page: a button copies the message's text (the text box stays for copying by hand).
document.querySelectorAll('[data-copy-from]').forEach((button) => {
  const source = document.getElementById(button.dataset.copyFrom)
  if (!source || !navigator.clipboard) return
  button.hidden = false
  button.addEventListener('click', async () => {
    const status = document.getElementById('copy-status')
    try {
      await navigator.clipboard.writeText(source.value)
      if (status) status.textContent = 'Copied. Paste it into your email, letter or notes.'
    } catch {
      if (status) status.textContent = 'The message could not be copied here: open “The message as plain text” and copy it from there.'
    }
  })
})

// Phones (issue 20.8): every table sits in its own container that scrolls sideways when the table is wider than the
// screen, so the page never does. While it scrolls, the container is a labelled region that takes focus, so it can
// be scrolled from the keyboard and a screen reader says what it holds; when the table fits, it is a plain box.
const labelWhenScrolling = (wrapper) => {
  if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
    wrapper.setAttribute('role', 'region')
    wrapper.setAttribute('tabindex', '0')
    wrapper.setAttribute('aria-label', wrapper.dataset.label)
  } else {
    for (const name of ['role', 'tabindex', 'aria-label']) wrapper.removeAttribute(name)
  }
}
const scrolling = 'ResizeObserver' in window
  ? new ResizeObserver((entries) => entries.forEach((entry) => labelWhenScrolling(entry.target)))
  : null
for (const table of document.querySelectorAll('table.govuk-table')) {
  if (table.parentElement.classList.contains('harbour-table-scroll')) continue
  const caption = table.caption && table.caption.textContent.trim()
  let heading = null
  for (let el = table.previousElementSibling; el && !heading; el = el.previousElementSibling) {
    if (/^H[1-6]$/.test(el.tagName)) heading = el
  }
  const wrapper = document.createElement('div')
  wrapper.className = 'harbour-table-scroll'
  wrapper.dataset.label = caption || (heading && heading.textContent.trim()) || 'Table'
  table.parentNode.insertBefore(wrapper, table)
  wrapper.appendChild(table)
  labelWhenScrolling(wrapper)
  if (scrolling) scrolling.observe(wrapper)
}
