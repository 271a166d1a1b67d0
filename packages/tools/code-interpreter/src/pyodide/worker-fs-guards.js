// @ts-check
/**
 * Guards on Pyodide's in-memory file system (Emscripten's MEMFS), whose file
 * contents live in JavaScript arrays outside the WASM heap and so need their
 * own limit:
 * - a quota on the bytes all files may hold (ENOSPC past it);
 * - input files are read-only (EACCES on any write or resize);
 * - the files written during a call are tracked, to be returned.
 */

/**
 * @param {any} Module Emscripten's module object.
 * @param {number} quotaBytes
 */
export function installFsGuards(Module, quotaBytes) {
  const { FS, MEMFS, ERRNO_CODES } = Module;
  /** @type {WeakSet<object>} */
  const inputs = new WeakSet();
  /** @type {Set<object>} */
  const written = new Set();
  let writingInputs = false;
  let tracking = false;

  const usedBytes = () => {
    let total = 0;
    /** @type {Set<object>} */
    const seen = new Set();
    /** @param {any} node */
    const visit = (node) => {
      if (!node || seen.has(node)) return;
      seen.add(node);
      if (node.mounted) visit(node.mounted.root);
      const contents = node.contents;
      if (contents instanceof Uint8Array) total += contents.length;
      else if (contents && typeof contents === 'object' && !ArrayBuffer.isView(contents))
        for (const child of Object.values(contents)) visit(child);
    };
    visit(FS.root);
    return total;
  };
  // The boot's own files (the standard library's zip) do not count against the quota.
  const limit = usedBytes() + quotaBytes;
  /** An upper bound on usedBytes(): recounted only when it nears the limit. */
  let estimate = limit - quotaBytes;

  /** @param {number} extra */
  const reserve = (extra) => {
    if (extra <= 0) return;
    if (estimate + extra > limit) {
      estimate = usedBytes();
      if (estimate + extra > limit) throw new FS.ErrnoError(ERRNO_CODES.ENOSPC);
    }
    estimate += extra;
  };
  /** @param {object} node */
  const assertWritable = (node) => {
    if (inputs.has(node) && !writingInputs) throw new FS.ErrnoError(ERRNO_CODES.EACCES);
  };
  /** @param {object} node */
  const markWritten = (node) => {
    if (tracking) written.add(node);
  };

  const expand = MEMFS.expandFileStorage;
  MEMFS.expandFileStorage = (/** @type {any} */ node, /** @type {number} */ capacity) => {
    assertWritable(node);
    const before = node.contents.length;
    reserve(capacity - before);
    expand(node, capacity);
    estimate += Math.max(0, node.contents.length - capacity);
  };
  const resize = MEMFS.resizeFileStorage;
  MEMFS.resizeFileStorage = (/** @type {any} */ node, /** @type {number} */ size) => {
    assertWritable(node);
    reserve(size - node.contents.length);
    resize(node, size);
    markWritten(node);
  };
  const fileStreamOps = MEMFS.ops_table.file.stream;
  const write = fileStreamOps.write;
  fileStreamOps.write = (/** @type {any} */ stream, /** @type {any[]} */ ...rest) => {
    assertWritable(stream.node);
    const count = write(stream, ...rest);
    markWritten(stream.node);
    return count;
  };
  const createNode = MEMFS.createNode;
  MEMFS.createNode = (/** @type {any[]} */ ...args) => {
    const node = createNode(...args);
    if (FS.isFile(node.mode)) markWritten(node);
    return node;
  };

  return {
    /**
     * Writes the request's files, read-only, replacing earlier versions.
     * @param {{ path: string; bytes: Uint8Array }[]} files
     * @param {string} dataDir
     */
    writeInputs(files, dataDir) {
      writingInputs = true;
      try {
        for (const file of files) {
          const path = `${dataDir}/${file.path}`;
          FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
          if (FS.analyzePath(path).exists) FS.unlink(path);
          FS.writeFile(path, file.bytes);
          const node = FS.lookupPath(path).node;
          inputs.add(node);
          FS.chmod(path, 0o444);
        }
      } finally {
        writingInputs = false;
      }
    },
    startCall() {
      written.clear();
      tracking = true;
    },
    endCall() {
      tracking = false;
    },
    /**
     * Paths, relative to `dataDir`, of the files written during the call.
     * @param {string} dataDir
     */
    changedFiles(dataDir) {
      /** @type {string[]} */
      const paths = [];
      /** @param {any} node @param {string} prefix */
      const visit = (node, prefix) => {
        for (const [name, child] of Object.entries(node.contents ?? {})) {
          const c = /** @type {any} */ (child);
          if (FS.isDir(c.mode)) visit(c, `${prefix}${name}/`);
          else if (FS.isFile(c.mode) && written.has(c) && !inputs.has(c)) paths.push(`${prefix}${name}`);
        }
      };
      const root = FS.lookupPath(dataDir).node;
      visit(root, '');
      written.clear();
      return paths.sort();
    },
  };
}
