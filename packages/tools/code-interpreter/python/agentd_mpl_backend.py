"""A matplotlib backend that captures figures as PNG images instead of showing them.

Selected with MPLBACKEND=module://agentd_mpl_backend. `plt.show()` captures and
closes the open figures; the driver captures whatever is still open when a
cell ends, so a plot needs neither savefig nor show.
"""

import io

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

captured = []


def capture_open_figures():
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        figure = plt.figure(number)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        captured.append(buffer.getvalue())
    plt.close("all")


def show(*args, **kwargs):
    capture_open_figures()


def take():
    images = captured[:]
    captured.clear()
    return images
