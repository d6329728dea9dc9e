/* Draw every chart on the page: the Vega-Lite spec (from borderdesk.charts.series_spec) sits in a
   <script type="application/json"> block next to its container. No inline script, no eval: Vega runs
   with its CSP-safe expression interpreter. The chart fits its container, and long subtitle lines
   (the source line) are wrapped to that width. Event numbers stay at every width: they are laid
   out for a phone's chart, and the list under the figure says what each one is. */
(function () {
  "use strict";

  function wrap(line, maxChars) {
    var words = String(line).split(" "), lines = [], cur = "";
    words.forEach(function (w) {
      if (cur && (cur + " " + w).length > maxChars) { lines.push(cur); cur = w; }
      else { cur = cur ? cur + " " + w : w; }
    });
    if (cur) { lines.push(cur); }
    return lines;
  }

  function fit(spec, width) {
    var narrow = width < 560;
    spec.width = "container";
    spec.height = narrow ? 220 : 320;
    spec.autosize = { type: "fit-x", contains: "padding" };
    var title = spec.title;
    if (title && typeof title === "object") {
      if (narrow) {
        // the figure caption under the chart carries the question and the full source line
        title.subtitle = "Source: U.S. Customs and Border Protection";
        if (typeof title.text === "string") { title.text = wrap(title.text, Math.floor(width / 8)); }
      } else {
        var perLine = Math.floor(width / 5.6);   // ~5.6 px per character at 10 px
        title.subtitle = [].concat(title.subtitle || []).reduce(function (acc, s) {
          return acc.concat(wrap(s, perLine));
        }, []);
      }
    }
    return spec;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof vegaEmbed !== "function") { return; }
    var spec = fit(JSON.parse(source.textContent), el.clientWidth || 640);
    var options = {
      renderer: "svg",
      actions: false,
      defaultStyle: false,                 // vega-embed would inject a <style>: CSS is in site.css
      tooltip: { disableDefaultStyle: true },
      ast: true,
      expr: vegaInterpreter.expressionInterpreter
    };
    vegaEmbed(el, spec, options).then(function () {
      el.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      el.textContent = "The chart could not be drawn (" + err.message + "). The table below has the same numbers.";
      el.setAttribute("data-rendered", "error");
    });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
