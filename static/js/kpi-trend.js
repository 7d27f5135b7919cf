// The KPI trend chart of the manager's dashboard; its data is the JSON in #kpi-trend-data.
(function () {
  var el = document.getElementById("kpi-trend");
  var source = document.getElementById("kpi-trend-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    title: {text: data.title, textStyle: {fontSize: 13}},
    tooltip: {trigger: "axis"},
    legend: {top: 22, type: "scroll"},
    grid: {top: 60, left: 50, right: 60, bottom: 30},
    xAxis: {type: "category", data: data.months},
    yAxis: [{type: "value", name: "%", max: 100, min: 0}, {type: "value", name: data.amount_unit}],
    series: data.series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
