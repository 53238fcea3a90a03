"""The scoring methodology: pure Python, no Django import (see DESIGN.md section 4)."""
