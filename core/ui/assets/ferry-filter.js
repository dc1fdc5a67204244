// Ferry web UI: the filter box. It takes label matchers as Prometheus writes them,
// {job=~"ci-.*",env!="prod"}, free text, or both; the matchers go to the server as match[],
// the text as q. The page only splits the two; the server parses and matches (a bad selector
// comes back as a 400 with the reason, shown under the filter box).
"use strict";

(function (Ferry) {
  var MATCHER_LIST = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*(=~|!~|!=|=)\s*("|'|`)/;

  // "{job="a"} db" -> {selector: '{job="a"}', text: "db"}; 'job="a"' -> {selector: '{job="a"}'}.
  // Throws an Error for an unclosed brace or quote.
  Ferry.splitFilter = function (input) {
    var text = input.trim();
    var start = text.indexOf("{");
    if (start < 0) {
      if (MATCHER_LIST.test(text)) return {selector: "{" + text + "}", text: ""};
      return {selector: null, text: text};
    }
    var quote = null;
    for (var i = start + 1; i < text.length; i++) {
      var c = text[i];
      if (quote) {
        if (c === "\\" && quote !== "`") {
          i++;
        } else if (c === quote) {
          quote = null;
        }
      } else if (c === '"' || c === "'" || c === "`") {
        quote = c;
      } else if (c === "}") {
        return {selector: text.slice(start, i + 1),
                text: (text.slice(0, start) + " " + text.slice(i + 1)).trim()};
      }
    }
    throw new Error(quote ? "unterminated quoted string in the filter"
                          : "the filter's { has no closing }");
  };
})(window.Ferry);
