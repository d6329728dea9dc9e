"""Checking an archive of articles: read many articles (JSONL, Parquet, folders of text and HTML),
check each as ``borderdesk check`` does, on a pool of local processes or a Dask cluster, and write one
row per claim (Parquet or JSONL), with the articles that failed in an errors file and a rerun that
resumes. The output's columns are :mod:`borderdesk.archive.schema`.
"""
