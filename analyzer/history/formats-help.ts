/** The text of `hindsight formats`: what each history format looks like. */
export const formatsHelp = `History formats (picked from the content; force one with --format):

  edn         one op map a line, as Jepsen's history.edn:
              {:index 0, :time 2391862, :type :invoke, :process 3, :f :read, :value nil}
  edn-vector  one EDN vector of op maps, as Knossos's data files: [{...} {...}]
  json        a JSON array or JSON lines with the same keys ("type": "invoke", "f": "read")
  jepsen-log  the op lines of a Jepsen log or history.txt: process, type, f, value[, error]
              separated by tabs; other log lines are ignored
`;
