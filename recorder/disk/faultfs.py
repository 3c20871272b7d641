#!/usr/bin/python3
"""A fault-injecting passthrough filesystem for a database node's data directory.

    /usr/bin/python3 faultfs.py BACKING MOUNTPOINT

mounts BACKING at MOUNTPOINT (FUSE, through Debian's python3-fusepy) and passes every call
through, except where a fault is switched on. Faults are switched at run time by writing one
JSON object to the control file MOUNTPOINT/.faultfs (hidden from listings):

    {"delay_ms": 50}                      every read, write and fsync waits 50 ms first
    {"eio": 1.0, "ops": ["write", "fsync"]}   that fraction of those calls fail with EIO
    {"track_unfsynced": true}             remember what each write overwrote until its fsync
    {"drop_unfsynced": true}              undo every write not yet fsynced (a lost page cache,
                                          as Jepsen's lazyfs does at a crash); run it while the
                                          database is stopped
    {"reset": true}                       every fault off (tracking stays as it was)

Keys may be combined; a key not given keeps its value. Writes are undone, not file creations:
a file made since the last fsync stays, with its unsynced bytes undone.
"""
import errno
import json
import os
import random
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations

CONTROL = '/.faultfs'


class FaultFS(Operations):
    def __init__(self, root):
        self.root = root
        self.mutex = threading.Lock()
        self.delay_ms = 0
        self.eio = 0.0
        self.eio_ops = {'write', 'fsync'}
        self.track = False
        # backing path -> list of (offset, old bytes, old size), in write order
        self.undo = {}
        self.random = random.Random(0)

    def _full(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _fault(self, op):
        if self.delay_ms > 0:
            time.sleep(self.delay_ms / 1000.0)
        if self.eio > 0 and op in self.eio_ops and self.random.random() < self.eio:
            raise FuseOSError(errno.EIO)

    def _control(self, data):
        cmd = json.loads(data.decode() or '{}')
        with self.mutex:
            if cmd.get('reset'):
                self.delay_ms, self.eio = 0, 0.0
            if 'delay_ms' in cmd:
                self.delay_ms = float(cmd['delay_ms'])
            if 'eio' in cmd:
                self.eio = float(cmd['eio'])
            if 'ops' in cmd:
                self.eio_ops = set(cmd['ops'])
            if 'seed' in cmd:
                self.random = random.Random(cmd['seed'])
            if 'track_unfsynced' in cmd:
                self.track = bool(cmd['track_unfsynced'])
            if cmd.get('drop_unfsynced'):
                for full, entries in self.undo.items():
                    try:
                        fd = os.open(full, os.O_WRONLY)
                    except OSError:
                        continue
                    try:
                        for offset, old, size in reversed(entries):
                            os.pwrite(fd, old, offset)
                            os.ftruncate(fd, size)
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                self.undo = {}

    # --- the control file ---------------------------------------------------------------

    def getattr(self, path, fh=None):
        if path == CONTROL:
            return {'st_mode': 0o100600, 'st_nlink': 1, 'st_size': 0, 'st_uid': os.getuid(), 'st_gid': os.getgid(),
                    'st_atime': 0, 'st_mtime': 0, 'st_ctime': 0}
        st = os.lstat(self._full(path))
        return {k: getattr(st, k) for k in ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid')}

    def open(self, path, flags):
        if path == CONTROL:
            return 0
        return os.open(self._full(path), flags)

    def truncate(self, path, length, fh=None):
        if path == CONTROL:
            return
        full = self._full(path)
        self._remember(full, min(length, os.path.getsize(full)), b'')
        with open(full, 'r+b') as f:
            f.truncate(length)

    def write(self, path, data, offset, fh):
        if path == CONTROL:
            self._control(data)
            return len(data)
        self._fault('write')
        if self.track:
            self._remember(self._full(path), offset, data)
        return os.pwrite(fh, data, offset)

    def _remember(self, full, offset, data):
        if not self.track:
            return
        try:
            size = os.path.getsize(full)
            with open(full, 'rb') as f:
                f.seek(offset)
                old = f.read(len(data))
        except OSError:
            size, old = 0, b''
        with self.mutex:
            self.undo.setdefault(full, []).append((offset, old, size))

    def read(self, path, size, offset, fh):
        if path == CONTROL:
            return b''
        self._fault('read')
        return os.pread(fh, size, offset)

    def fsync(self, path, datasync, fh):
        if path == CONTROL:
            return 0
        self._fault('fsync')
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)
        with self.mutex:
            self.undo.pop(self._full(path), None)
        return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        if path == CONTROL:
            return 0
        return os.close(fh)

    # --- plain passthrough --------------------------------------------------------------

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._full(path))

    def access(self, path, mode):
        if path != CONTROL and not os.access(self._full(path), mode):
            raise FuseOSError(errno.EACCES)

    def chmod(self, path, mode):
        return os.chmod(self._full(path), mode)

    def chown(self, path, uid, gid):
        return os.chown(self._full(path), uid, gid)

    def create(self, path, mode, fi=None):
        return os.open(self._full(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)

    def mkdir(self, path, mode):
        return os.mkdir(self._full(path), mode)

    def rmdir(self, path):
        return os.rmdir(self._full(path))

    def unlink(self, path):
        with self.mutex:
            self.undo.pop(self._full(path), None)
        return os.unlink(self._full(path))

    def rename(self, old, new):
        with self.mutex:
            entries = self.undo.pop(self._full(old), None)
            if entries is not None:
                self.undo[self._full(new)] = entries
        return os.rename(self._full(old), self._full(new))

    def link(self, target, name):
        return os.link(self._full(name), self._full(target))

    def symlink(self, name, target):
        return os.symlink(target, self._full(name))

    def readlink(self, path):
        return os.readlink(self._full(path))

    def statfs(self, path):
        st = os.statvfs(self._full(path))
        return {k: getattr(st, k) for k in ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')}

    def utimens(self, path, times=None):
        return os.utime(self._full(path), times)

    def fsyncdir(self, path, datasync, fh):
        return 0

    def opendir(self, path):
        return 0

    def releasedir(self, path, fh):
        return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: faultfs.py BACKING MOUNTPOINT')
    FUSE(FaultFS(sys.argv[1]), sys.argv[2], foreground=True, nothreads=False)
