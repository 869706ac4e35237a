/* 执法决定公示统计: draws the charts of /public/statistics/ with the locally served ECharts.
 * The numbers come from the page's own JSON (#statistics-data); each chart's table beside it
 * holds the same figures for screen readers and for anyone without JavaScript. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("statistics-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var base = { animation: !still, textStyle: { fontFamily: "inherit" } };
    var charts = [];

    function chart(id, option) {
      var node = document.getElementById(id);
      if (!node) {
        return;
      }
      var instance = window.echarts.init(node, null, { renderer: "svg" });
      instance.setOption(Object.assign({}, base, option));
      charts.push(instance);
    }

    chart("chart-month", {
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.month.labels },
      yAxis: { type: "value", minInterval: 1 },
      dataZoom: data.month.labels.length > 24 ? [{ type: "inside" }, { type: "slider", height: 16, bottom: 6 }] : [],
      series: [{ name: "决定数", type: "bar", data: data.month.values, itemStyle: { color: "#9b1c1c" } }]
    });

    chart("chart-kind", {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      series: [{
        name: "决定类别",
        type: "pie",
        radius: ["35%", "65%"],
        data: data.kind.labels.map(function (label, i) { return { name: label, value: data.kind.values[i] }; })
      }]
    });

    var agencies = data.agency.labels.slice().reverse();
    chart("chart-agency", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["决定数", "按期公示率（%）"], top: 0 },
      grid: { left: 10, right: 30, top: 30, bottom: 20, containLabel: true },
      yAxis: { type: "category", data: agencies, axisLabel: { width: 160, overflow: "truncate" } },
      xAxis: [
        { type: "value", minInterval: 1, position: "bottom" },
        { type: "value", min: 0, max: 100, position: "top", axisLabel: { formatter: "{value}%" } }
      ],
      series: [
        { name: "决定数", type: "bar", data: data.agency.values.slice().reverse(), itemStyle: { color: "#1d4ed8" } },
        { name: "按期公示率（%）", type: "scatter", symbol: "diamond", symbolSize: 14, xAxisIndex: 1, data: data.agency.rates.slice().reverse(), itemStyle: { color: "#1b7f3b" } }
      ]
    });

    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
