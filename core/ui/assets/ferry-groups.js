// Ferry web UI: where the Metrics tab gets its groups. The group API (/api/v1/groups) filters,
// sorts and pages on the server, so a page costs the same with 100 or 100,000 groups. A server
// without it (404) is read through the Pushgateway's /api/v1/metrics instead, filtered and
// paged here.
"use strict";

(function (Ferry) {
  // ---- /api/v1/groups --------------------------------------------------------------------

  var groupApi = {
    name: "groups",
    selectorDelete: true,
    failureReasons: true,
    // params: {selector, text, sort, limit, cursor}; resolves to {groups, next, total}.
    list: function (params) {
      var query = new URLSearchParams();
      if (params.selector) query.append("match[]", params.selector);
      if (params.text) query.append("q", params.text);
      query.append("sort", params.sort);
      query.append("limit", String(params.limit));
      if (params.cursor) query.append("next", params.cursor);
      return Ferry.getData("api/v1/groups?" + query.toString()).then(function (data) {
        return {groups: data.groups || [], next: data.next || null, total: data.total_groups};
      });
    },
    // Resolves to the group with "metric_families".
    detail: function (group) {
      return Ferry.getData("api/v1/groups/" + encodeURIComponent(group.id));
    },
    // DELETE ?match[]=…: resolves to {dry_run, count, groups}.
    deleteMatched: function (selector, dryRun) {
      var query = new URLSearchParams();
      query.append("match[]", selector);
      if (dryRun) query.append("dry_run", "true");
      return Ferry.request("DELETE", "api/v1/groups?" + query.toString()).then(function (a) {
        return a.data;
      });
    }
  };

  // ---- /api/v1/metrics (a server without the group API) ----------------------------------

  function seconds(family) {
    var metric = family && family.metrics && family.metrics[0];
    var value = metric ? Number(metric.value) : 0;
    return value > 0 ? value : null;
  }

  function iso(unix) {
    return unix === null ? null : new Date(unix * 1000).toISOString();
  }

  function fromPushgatewayShape(item) {
    var families = {};
    var series = 0;
    Object.keys(item).forEach(function (key) {
      if (key === "labels" || key === "last_push_successful") return;
      families[key] = item[key];
      series += (item[key].metrics || []).length;
    });
    var pushed = seconds(families.push_time_seconds);
    var failed = seconds(families.push_failure_time_seconds);
    return {
      id: Ferry.groupId(item.labels),
      labels: item.labels,
      last_push: iso(pushed), last_push_unix: pushed,
      last_failure: iso(failed), last_failure_unix: failed,
      last_failure_reason: null,
      last_push_successful: item.last_push_successful !== false,
      ttl_seconds: 0, deadline: null, deadline_unix: null, expired: false,
      families: Object.keys(families).length, series: series,
      metric_families: families
    };
  }

  // The grouping key's order (names sorted, then values), as the server sorts.
  function labelKey(labels) {
    return Object.keys(labels).sort().map(function (name) {
      return name + "\uffff" + labels[name];
    }).join("\uffff");
  }

  function byLabels(a, b) {
    var x = labelKey(a.labels), y = labelKey(b.labels);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  var pushgatewayApi = {
    name: "metrics",
    selectorDelete: false,
    failureReasons: false,
    list: function (params) {
      var matchers = params.selector ? Ferry.parseSelector(params.selector) : [];
      return Ferry.getData("api/v1/metrics").then(function (items) {
        var groups = items.map(fromPushgatewayShape).filter(function (g) {
          return Ferry.matchesAll(matchers, g.labels) && Ferry.matchesText(params.text, g.labels);
        });
        var total = items.length;
        groups.sort(params.sort === "last_push" ? function (a, b) {
          return (b.last_push_unix || 0) - (a.last_push_unix || 0) || byLabels(a, b);
        } : byLabels);
        var start = Number(params.cursor || 0);
        var page = groups.slice(start, start + params.limit);
        var next = start + params.limit < groups.length ? String(start + params.limit) : null;
        return {groups: page, next: next, total: total, matched: groups.length};
      });
    },
    detail: function (group) {
      return Promise.resolve(group);
    }
  };

  // Resolves to the source this server supports, asked once.
  Ferry.groupSource = function () {
    if (!Ferry.groupSource.found) {
      Ferry.groupSource.found = Ferry.request("GET", "api/v1/groups?limit=1").then(
          function () { return groupApi; },
          function (e) {
            if (e.status === 404) return pushgatewayApi;
            Ferry.groupSource.found = null;  // ask again next time
            throw e;
          });
    }
    return Ferry.groupSource.found;
  };
})(window.Ferry);
