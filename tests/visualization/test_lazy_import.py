import subprocess
import sys

import kerastorch


def test_visualization_is_imported_on_first_access_only():
    script = (
        "import sys, kerastorch\n"
        "names = ('kerastorch.visualization', 'matplotlib', 'cv2')\n"
        "print([m for m in names if m in sys.modules])\n"
        "kerastorch.visualization.draw_segmentation_masks\n"
        "print([m for m in ('matplotlib', 'cv2') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split("\n")[:2] == ["[]", "[]"]
    assert "visualization" in kerastorch.__all__
