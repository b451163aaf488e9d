-- Model manager (issue 4): how a model came in, which files were asked for, where its files
-- are, and what the last validation found. `files` (from 0001) holds, per file, its path,
-- size, expected hashes and whether it was verified, as JSON.
ALTER TABLE models ADD COLUMN source TEXT NOT NULL DEFAULT 'hub';
ALTER TABLE models ADD COLUMN globs TEXT;
ALTER TABLE models ADD COLUMN snapshot_path TEXT;
ALTER TABLE models ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
