"""Administrative divisions (行政区划) and the management departments (会计管理部门) over them."""
