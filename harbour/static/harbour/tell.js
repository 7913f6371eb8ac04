// The pupils' pages (rule P1): a form sent here leaves no entry in the browser's history that holds it. The page's
// own address replaces the sent form, so Back or Reload neither shows nor sends it again. (No inline script: CSP.)
if (window.history && window.history.replaceState) {
  window.history.replaceState(null, '', window.location.pathname)
}
