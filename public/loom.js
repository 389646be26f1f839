// Loom knowledge base: catalog filters and sorting, copy buttons, Pagefind search. No framework.
(function () {
  'use strict';

  function setupCatalog() {
    var form = document.getElementById('filters');
    var table = document.getElementById('catalog');
    if (!form || !table) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var count = document.getElementById('count');
    var empty = document.getElementById('empty');
    var lists = { tactic: ' ', technique: ' ', datasource: '|' };

    function matches(row, key, value) {
      if (!value) return true;
      var raw = row.getAttribute('data-' + key) || '';
      if (!(key in lists)) return raw === value;
      var items = raw ? raw.split(lists[key]) : [];
      for (var i = 0; i < items.length; i++) {
        if (items[i] === value) return true;
        if (key === 'technique' && items[i].indexOf(value + '.') === 0) return true;
      }
      return false;
    }

    function apply() {
      var data = new FormData(form);
      var q = String(data.get('q') || '')
        .trim()
        .toLowerCase();
      var shown = 0;
      var params = new URLSearchParams();
      data.forEach(function (v, k) {
        if (v) params.set(k, String(v));
      });
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok =
          (!q ||
            row.getAttribute('data-title').indexOf(q) !== -1 ||
            row.getAttribute('data-id').indexOf(q) === 0 ||
            row.getAttribute('data-technique').toLowerCase().indexOf(q) !== -1) &&
          ['tactic', 'technique', 'status', 'severity', 'platform', 'datasource', 'owner'].every(function (k) {
            return matches(row, k, String(data.get(k) || ''));
          });
        row.hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = String(shown);
      empty.hidden = shown !== 0;
      var qs = params.toString();
      history.replaceState(null, '', qs ? '?' + qs : location.pathname);
    }

    // Filters from the URL (the ATT&CK matrix links to ?technique=T1059).
    var initial = new URLSearchParams(location.search);
    initial.forEach(function (v, k) {
      var field = form.elements.namedItem(k);
      if (!field) return;
      if (
        field.tagName === 'SELECT' &&
        !Array.prototype.some.call(field.options, function (o) {
          return o.value === v;
        })
      ) {
        var opt = document.createElement('option');
        opt.value = v;
        opt.textContent = v;
        field.appendChild(opt);
      }
      field.value = v;
    });
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('reset', function () {
      setTimeout(apply, 0);
    });
    if (initial.toString()) apply();

    var ths = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var key = button.getAttribute('data-sort');
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(ths, function (o) {
          o.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', dir);
        var attr = key === 'severity' ? 'data-severity-rank' : key === 'attack' ? 'data-technique' : 'data-' + key;
        var sign = dir === 'ascending' ? 1 : -1;
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.getAttribute(attr) || '';
          var y = b.getAttribute(attr) || '';
          var c = key === 'severity' ? Number(x) - Number(y) : x.localeCompare(y);
          return sign * (c || a.getAttribute('data-title').localeCompare(b.getAttribute('data-title')));
        });
        var frag = document.createDocumentFragment();
        sorted.forEach(function (r) {
          frag.appendChild(r);
        });
        tbody.appendChild(frag);
      });
    });
  }

  function setupCopy() {
    document.addEventListener('click', function (event) {
      var button = event.target.closest && event.target.closest('button.copy');
      if (!button) return;
      var pre = button.closest('figure').querySelector('pre');
      var text = pre ? pre.textContent : '';
      var done = function () {
        button.textContent = 'Copied';
        button.setAttribute('data-copied', 'true');
        setTimeout(function () {
          button.textContent = 'Copy';
        }, 1500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {
          button.textContent = 'Copy failed';
        });
      } else {
        var area = document.createElement('textarea');
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand('copy');
        area.remove();
        done();
      }
    });
  }

  function setupSearch() {
    var box = document.getElementById('search');
    if (!box) return;
    var base = (document.querySelector('link[rel=stylesheet]').getAttribute('href') || '/loom.css').replace(
      /loom\.css$/,
      '',
    );
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = base + 'pagefind/pagefind-ui.css';
    var script = document.createElement('script');
    script.src = base + 'pagefind/pagefind-ui.js';
    script.onload = function () {
      if (window.PagefindUI) {
        document.head.appendChild(css);
        new window.PagefindUI({ element: '#search', showSubResults: false, showImages: false });
      }
    };
    script.onerror = function () {
      box.hidden = true;
    };
    document.head.appendChild(script);
  }

  function start() {
    setupCatalog();
    setupCopy();
    setupSearch();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
