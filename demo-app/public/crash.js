// The client-crash fault: the page has rendered, then a client component throws. Like a
// production Next.js build, the page is replaced by its generic error text and the exception
// goes to the console (an uncaught error, so the browser reports it as a page error too).
(function () {
  'use strict';
  const error = new TypeError("Cannot read properties of undefined (reading 'items')");
  document.body.textContent = '';
  const box = document.createElement('div');
  box.style.cssText =
    'display:flex;min-height:100vh;align-items:center;justify-content:center;font-family:system-ui,sans-serif';
  const heading = document.createElement('h2');
  heading.textContent =
    'Application error: a client-side exception has occurred (see the browser console for more information).';
  box.appendChild(heading);
  document.body.appendChild(box);
  // React logs the error it caught to the console, then Next.js reports it as uncaught.
  console.error(error);
  throw error;
})();
