"""The MAF chart, drawn on the server as SVG coordinates (no script): the household's running total of
co-payments month by month against the ceiling. The page shows the same figures as a table."""

from __future__ import annotations

from guichet.decisions.explanations import money

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40


def maf_chart(overview: dict, language: str = "en") -> dict:
    running = overview["running_cents"]
    ceiling = overview["ceiling_cents"]
    top_value = max([ceiling, *running, 1]) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / 12

    def y(value: int) -> float:
        return round(TOP + plot_h - plot_h * value / top_value, 1)

    bars = []
    for month, value in enumerate(running):
        bar_top = y(value)
        bars.append({"x": round(LEFT + month * step + step * 0.15, 1), "y": bar_top, "width": round(step * 0.7, 1),
                     "height": round(TOP + plot_h - bar_top, 1), "month": month + 1, "over": value > ceiling,
                     "label_x": round(LEFT + month * step + step / 2, 1)})
    ticks = [{"y": y(int(top_value * share / 1.1)), "label": money(int(top_value * share / 1.1) // 100 * 100, language)}
             for share in (0, 0.25, 0.5, 0.75, 1.0)]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "ceiling_y": y(ceiling), "left": LEFT,
            "right": WIDTH - RIGHT, "baseline": TOP + plot_h, "ticks": ticks, "axis_label_y": HEIGHT - 12}
