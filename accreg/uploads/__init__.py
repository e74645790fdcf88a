"""Uploads (材料上传): material kinds, image rules, automatic fixing of photos, storage."""
