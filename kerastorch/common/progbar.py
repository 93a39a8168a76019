"""`Progbar`: Keras's progress bar, character for character.

`469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - accuracy: 0.9012 - loss: 0.3281`

Redraws are throttled to one per `interval` seconds; `due()` tells a caller whether the
next `update` would draw, so that it can skip reading (and synchronising) metric values
in between.

Example:
    >>> bar = Progbar(target=2, verbose=2)
    >>> bar.update(1, [("loss", 0.5)])
    >>> bar.update(2, [("loss", 0.25)])  # doctest: +ELLIPSIS
    2/2 - 0s ...
"""

from __future__ import annotations

import logging
import math
import re
import sys
import time
from typing import Any

import numpy as np

from kerastorch import config

_PLAIN = {"━": "=", "\x1b[1m": "", "\x1b[0m": "", "\x1b[32m": "", "\x1b[37m": ""}
_REDRAW = re.compile(r"\x1b\[[0-9;]*m|[\b\r]")


def print_msg(message: str, line_break: bool = True) -> None:
    """Write `message` to stdout (falling back to ASCII where the encoding refuses it).

    With interactive logging disabled (`keras.config.disable_interactive_logging()`), each
    line goes instead to the `"kerastorch"` logger at INFO level, without colours or
    redraw characters.
    """
    if not config.is_interactive_logging_enabled():
        plain = _REDRAW.sub("", message)
        for line in plain.splitlines():
            if line.strip():
                logging.getLogger("kerastorch").info(line)
        return
    message = f"{message}\n" if line_break else message
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        for special, plain in _PLAIN.items():
            message = message.replace(special, plain)
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(message.encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps expected, None if unknown.
        width: progress bar width on screen.
        verbose: 0 (silent), 1 (bar), 2 (one line at the end).
        interval: minimum time between two redraws, in seconds.
        stateful_metrics: names of metrics shown as given (others are averaged over time).
        stateless_metrics: names of metrics averaged over time (others shown as given).
        unit_name: display name for step counts.
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Any = None,
        stateless_metrics: Any = None,
        unit_name: str = "step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        # `stateless_metrics=set()` (what `ProgbarLogger` passes): nothing is averaged.
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._seen_so_far = 0
        self._values: dict[str, list[Any]] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def due(self, current: int) -> bool:
        """Whether `update(current, ...)` would redraw now (verbose=1 and interval elapsed)."""
        finalize = self.target is not None and current >= self.target
        return self.verbose == 1 and (finalize or time.time() - self._last_update >= self.interval)

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Record `values` (`[(name, value)]`) at step `current` and redraw if due."""
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        for key, value in values or []:
            if key not in self._values_order:
                self._values_order.append(key)
            if self.stateless_metrics is not None:
                stateless = key in self.stateless_metrics
            else:
                stateless = key not in self.stateful_metrics
            if stateless and not finalize:
                base = max(current - self._seen_so_far, 1)
                if key not in self._values:
                    self._values[key] = [value * base, base]
                else:
                    self._values[key][0] += value * base
                    self._values[key][1] += base
            else:
                self._values[key] = [value, 1]
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_bar(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            info = f"%{digits}d/%d" % (current, self.target)
            info += f" - {now - self._start:.0f}s -{self._format_time(time_per_unit)}"
            info += self._format_values(positive_only=True)
            print_msg(info + "\n", line_break=False)
        self._last_update = now

    def add(self, n: int, values: Any = None) -> None:
        self.update(self._seen_so_far + n, values)

    def _draw_bar(self, current: int, now: float, time_per_unit: float, finalize: bool) -> None:
        message = "\b" * self._prev_total_width + "\r"
        special = 0
        if self.target:
            digits = int(math.log10(self.target)) + 1
            bar = f"\x1b[1m{f'%{digits}d/%d' % (current, self.target)}\x1b[0m "
            special += 8
            filled = int(self.width * float(current) / self.target)
            if filled > 0:
                bar += f"\x1b[32m{'━' * filled}\x1b[0m"
                special += 9
            bar += f"\x1b[37m{'━' * (self.width - filled)}\x1b[0m"
            special += 9
        else:
            bar = f"{int(current):7d}/Unknown"
        if self.target and not finalize:
            eta = time_per_unit * (self.target - current)
            if eta > 3600:
                eta_text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_text = f"{int(eta)}s"
            info = f" \x1b[1m{eta_text}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        special += 8
        info += self._format_time(time_per_unit) + self._format_values(positive_only=False)
        total_width = len(bar) + len(info) - special
        message += bar + info
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def _format_values(self, positive_only: bool) -> str:
        info = ""
        for key in self._values_order:
            info += f" - {key}:"
            total, count = self._values[key]
            if not isinstance(total, float):
                total = np.mean(total)
            average = total / max(1, count)
            large = average > 1e-3 if positive_only else abs(average) > 1e-3
            info += f" {average:.4f}" if large else f" {average:.4e}"
        return info

    def _format_time(self, time_per_unit: float) -> str:
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" {time_per_unit:.0f}s/{self.unit_name}"
        if time_per_unit >= 1e-3:
            return f" {time_per_unit * 1000.0:.0f}ms/{self.unit_name}"
        return f" {time_per_unit * 1000000.0:.0f}us/{self.unit_name}"

    def _estimate_step_duration(self, current: int, now: float) -> float:
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
