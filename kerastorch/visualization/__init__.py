"""`keras.visualization`: draw bounding boxes and segmentation masks on images, and plot
galleries of them.

OpenCV (`pip install opencv-python-headless`) draws the boxes and matplotlib
(`pip install matplotlib`) the galleries; both are optional and imported on first use.
`import kerastorch` does not import this package: `kerastorch.visualization` does.
"""

from kerastorch.visualization.draw_bounding_boxes import draw_bounding_boxes
from kerastorch.visualization.draw_segmentation_masks import draw_segmentation_masks
from kerastorch.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery
from kerastorch.visualization.plot_image_gallery import plot_image_gallery
from kerastorch.visualization.plot_segmentation_mask_gallery import (
    plot_segmentation_mask_gallery,
)

__all__ = [
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "plot_bounding_box_gallery",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
]
