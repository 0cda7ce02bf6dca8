// Appended to a copy of a report by report.sh: after layout, the chart
// labels the browser drew that leave their chart or overlap another, as
// one line each in <pre id="overflow"> (read back with --dump-dom).
// Text boxes carry the font's line gap: a few pixels of overlap are none.
window.addEventListener("load", function () {
    var bad = [];
    document.querySelectorAll("svg.chart").forEach(function (svg) {
        var s = svg.getBoundingClientRect(), boxes = [];
        svg.querySelectorAll("text").forEach(function (t) {
            var b = t.getBoundingClientRect();
            if (b.width == 0) return;
            if (b.left < s.left - 1 || b.right > s.right + 1 || b.top < s.top - 1 || b.bottom > s.bottom + 1)
                bad.push(svg.id + ": '" + t.textContent + "' leaves the chart");
            boxes.push([t, b]);
        });
        for (var i = 0; i < boxes.length; i++)
            for (var j = i + 1; j < boxes.length; j++) {
                var a = boxes[i][1], b = boxes[j][1];
                if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 4 && b.top < a.bottom - 4)
                    bad.push(svg.id + ": '" + boxes[i][0].textContent + "' overlaps '" + boxes[j][0].textContent + "'");
            }
    });
    var p = document.createElement("pre");
    p.id = "overflow";
    p.textContent = bad.length + " labels out of place\n" + bad.join("\n");
    document.body.appendChild(p);
});
