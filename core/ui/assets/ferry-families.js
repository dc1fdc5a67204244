// Ferry web UI: a group's metric families with HELP, TYPE and every value, from the family
// objects of the group API (the Pushgateway's /api/v1/metrics shape: numbers as strings).
"use strict";

(function (Ferry) {
  var el = Ferry.el;

  // Keys of a metric object that are drawn by the tables below; anything else the API may add
  // is drawn as a key/value list after them.
  var KNOWN_KEYS = ["labels", "value", "quantiles", "buckets", "count", "sum", "native"];

  function bound(text) {
    return text === "+Inf" ? Infinity : text === "-Inf" ? -Infinity : Number(text);
  }

  function boundOrder(a, b) {
    var x = bound(a), y = bound(b);
    if (isNaN(x) || isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
    return x - y;
  }

  function labelsCell(labels, groupLabels) {
    var own = labels || {};
    // Grouping labels are on every series of the group: show them once, on the card.
    var shown = Object.keys(own).filter(function (name) {
      return !groupLabels || groupLabels[name] !== own[name];
    });
    var cell = el("td", {class: "series-labels"});
    if (shown.length === 0) {
      cell.appendChild(el("span", {class: "muted"}, "(grouping labels only)"));
    }
    shown.sort().forEach(function (name) {
      cell.appendChild(Ferry.labelBadge(name, own[name]));
      cell.appendChild(document.createTextNode(" "));
    });
    return cell;
  }

  function rowsTable(caption, rows) {
    return el("table", {class: "values inner"},
              el("caption", {class: "sr-only"}, caption),
              el("tbody", null, rows.map(function (row) {
                return el("tr", null, el("th", {scope: "row"}, row[0]),
                          el("td", {class: "num"}, row[1]));
              })));
  }

  function extraValue(value) {
    if (value === null || typeof value !== "object") return String(value);
    if (Array.isArray(value) && value.every(function (v) { return typeof v !== "object"; })) {
      return value.join(", ");
    }
    return JSON.stringify(value);
  }

  // Whatever the API adds beyond the fields drawn here, readable as "name: value" rows.
  function extraRows(metric) {
    var rows = [];
    Object.keys(metric).sort().forEach(function (key) {
      if (KNOWN_KEYS.indexOf(key) >= 0) return;
      var value = metric[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        Object.keys(value).forEach(function (inner) {
          rows.push([key.replace(/_/g, " ") + " " + inner.replace(/_/g, " "),
                     extraValue(value[inner])]);
        });
      } else {
        rows.push([key.replace(/_/g, " "), extraValue(value)]);
      }
    });
    return rows;
  }

  function summaryCell(metric) {
    var quantiles = metric.quantiles || {};
    var rows = Object.keys(quantiles).sort(boundOrder).map(function (q) {
      return ["quantile " + q, quantiles[q]];
    });
    rows.push(["count", metric.count], ["sum", metric.sum]);
    return el("td", null, rowsTable("Summary", rows.concat(extraRows(metric))));
  }

  // The group API's decoded native buckets: a positive bucket holds (lower, upper], a negative
  // one [lower, upper), the zero bucket [-threshold, threshold].
  function nativeRows(native) {
    var rows = [["native schema", String(native.schema)],
                ["zero bucket [−" + native.zero_threshold + ", " + native.zero_threshold + "]",
                 native.zero_count]];
    (native.negative || []).slice().reverse().forEach(function (b) {
      rows.push(["[" + b.lower + ", " + b.upper + ")", b.count]);
    });
    (native.positive || []).forEach(function (b) {
      rows.push(["(" + b.lower + ", " + b.upper + "]", b.count]);
    });
    return rows;
  }

  function histogramCell(metric) {
    var buckets = metric.buckets || {};
    var rows = Object.keys(buckets).sort(boundOrder).map(function (le) {
      return ["≤ " + le, buckets[le]];
    });
    if (metric.native) rows = rows.concat(nativeRows(metric.native));
    rows.push(["count", metric.count], ["sum", metric.sum]);
    return el("td", null, rowsTable("Histogram", rows.concat(extraRows(metric))));
  }

  // The two gauges every group has hold Unix times: say which moment they are.
  var TIME_FAMILIES = ["push_time_seconds", "push_failure_time_seconds"];

  function valueCell(metric, family) {
    var extra = extraRows(metric);
    var cell = el("td", {class: "num"}, metric.value === undefined ? "" : metric.value);
    var unix = Number(metric.value);
    if (TIME_FAMILIES.indexOf(family.name) >= 0 && unix > 0) {
      cell.appendChild(el("div", {class: "muted"}, Ferry.localTime(unix)));
    }
    if (extra.length) cell.appendChild(rowsTable("More", extra));
    return cell;
  }

  function familyTable(family, groupLabels) {
    var type = String(family.type || "untyped").toLowerCase();
    var metrics = family.metrics || [];
    var cellFor = type === "summary" ? summaryCell
        : type === "histogram" || type === "gauge_histogram" ? histogramCell : valueCell;
    return el("table", {class: "values"},
              el("thead", null, el("tr", null, el("th", {scope: "col"}, "Labels"),
                                   el("th", {scope: "col"}, "Value"))),
              el("tbody", null, metrics.map(function (metric) {
                return el("tr", null, labelsCell(metric.labels, groupLabels),
                          cellFor(metric, family));
              })));
  }

  // `families`: the group API's array of family objects, each with "name". `collapsed`: names of families the viewer folded (kept across refreshes);
  // `onToggle(name, open)` is told when one is folded or unfolded.
  Ferry.renderFamilies = function (families, groupLabels, collapsed, onToggle) {
    var list = families.slice();
    list.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    if (list.length === 0) return el("p", {class: "muted"}, "No metric families.");
    return el("div", {class: "families"}, list.map(function (family) {
      var type = String(family.type || "untyped").toLowerCase();
      var details = el("details", {class: "family", open: collapsed.indexOf(family.name) < 0},
                       el("summary", null,
                          el("code", {class: "family-name"}, family.name),
                          " ", el("span", {class: "type type-" + type}, type),
                          " ", el("span", {class: "series-count"},
                                  (family.metrics || []).length + " series"),
                          family.help ? el("span", {class: "help"}, family.help) : null),
                       familyTable(family, groupLabels));
      details.addEventListener("toggle", function () { onToggle(family.name, details.open); });
      return details;
    }));
  };
})(window.Ferry);
