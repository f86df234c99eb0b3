"""The one stylesheet and the one script of the pages, served by kg itself (``/static/``)."""

from __future__ import annotations

CSS = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; padding: .6em 1em;
         background: #eef2f7; border-bottom: 1px solid #cbd2d9; }
header nav a { margin-right: .8em; }
header .lang { margin-left: auto; }
main { padding: 1em 1.5em; max-width: 90em; }
a { color: #1d4ed8; }
code, .iri { color: #52606d; font-size: .9em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #cbd2d9; padding: .25em .5em; text-align: left; vertical-align: top; }
td.number { text-align: right; white-space: nowrap; }
.plans-outcomes { display: grid; grid-template-columns: repeat(auto-fit, minmax(24em, 1fr)); gap: 1.5em; }
ul.statements, ul.claims, ul.sources { list-style: none; padding-left: 1em; }
li.statement { margin-bottom: .6em; }
.fact { font-weight: 600; }
li.claim { font-size: .92em; color: #323f4b; }
li.source { font-size: .9em; }
.kind { font-style: italic; }
.claim-name, .details, .types { color: #7b8794; }
svg.neighbourhood { max-width: 100%; height: auto; border: 1px solid #e4e7eb; }
svg.neighbourhood text { fill: #1f2933; }
textarea { font-family: ui-monospace, monospace; width: 100%; }
form.question label { display: block; margin: .3em 0; }
.error { color: #b91c1c; white-space: pre-wrap; }
pre { background: #f5f7fa; padding: .5em; overflow: auto; }
"""

JS = """
'use strict';
// The query page: run the editor's query against /sparql and show the answer as a table.
// Every value is put in the page as text (textContent), never as HTML.
(function () {
  var form = document.getElementById('sparql-form');
  if (!form) { return; }
  var status = document.getElementById('sparql-status');
  var result = document.getElementById('sparql-result');
  function cell(binding) {
    var td = document.createElement('td');
    if (binding) { td.textContent = binding.value; }
    return td;
  }
  function show(data) {
    result.textContent = '';
    if (typeof data.boolean === 'boolean') {
      status.textContent = 'ASK: ' + data.boolean;
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement('table');
    table.className = 'answer';
    var head = table.createTHead().insertRow();
    vars.forEach(function (v) { var th = document.createElement('th'); th.textContent = v; head.appendChild(th); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    status.textContent = rows.length + ' rows';
    result.appendChild(table);
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    status.textContent = '…';
    result.textContent = '';
    var body = new URLSearchParams();
    body.set('query', document.getElementById('sparql').value);
    fetch('/sparql', {method: 'POST', body: body,
                      headers: {'Accept': 'application/sparql-results+json, text/turtle;q=0.9'}})
      .then(function (response) {
        var type = response.headers.get('Content-Type') || '';
        if (!response.ok) {
          return response.text().then(function (text) { throw new Error(response.status + ': ' + text); });
        }
        if (type.indexOf('json') >= 0) { return response.json().then(show); }
        return response.text().then(function (text) {
          var pre = document.createElement('pre');
          pre.textContent = text;
          status.textContent = type;
          result.appendChild(pre);
        });
      })
      .catch(function (error) { status.textContent = ''; result.textContent = '';
        var p = document.createElement('p'); p.className = 'error'; p.textContent = error.message;
        result.appendChild(p); });
  });
})();
"""
