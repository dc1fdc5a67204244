// Ferry web UI: where the Metrics tab gets its groups. The group API (/api/v1/groups) filters,
// sorts and pages on the server, so a page costs the same with 100 or 100,000 groups.
"use strict";

(function (Ferry) {
  Ferry.groupApi = {
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
    // Resolves to the group with "metric_families" (an array of families, each with "name").
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
})(window.Ferry);
