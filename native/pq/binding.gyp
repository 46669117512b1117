{
  "targets": [
    {
      "target_name": "ocidex_pq",
      "sources": ["pq.c"],
      "include_dirs": ["<!(pg_config --includedir)"],
      "libraries": ["-L<!(pg_config --libdir)", "-lpq"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
