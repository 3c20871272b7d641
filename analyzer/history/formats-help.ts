/** The text of `hindsight formats`: what each history format looks like and how it is picked. */
export const formatsHelp = `History formats. hindsight picks one from the first bytes of the file (not its
name); force one with --format auto|edn|edn-vector|json|jepsen-log.

  edn         Op maps one after another, normally one a line: Jepsen's history.edn.
                {:index 0, :time 2391862, :type :invoke, :process 3, :f :txn, :value [[:append 9 2] [:r 8 nil]]}
              ';' comments and blank lines are skipped; #jepsen.history.Op{...} is read as a map.
              Picked when the file starts with '{' or '#'.

  edn-vector  One vector (or list) of op maps, maps may span lines: Knossos's data files.
                [{:process 0, :type :invoke, :f :write, :value 3}
                 {:process 0, :type :ok, :f :write, :value 3}]
              Picked when the file starts with '[' or '(' (after ';' comment lines).

  json        A JSON array of op objects, or JSON lines: what elle-cli takes.
                {"index": 0, "type": "invoke", "process": 1, "f": "txn", "value": [["append", 253, 1]]}
              "type", "f", a string "process" ("nemesis") and each micro-op's function and
              string key are keywords; other strings stay strings. Picked when the first
              object's first key is quoted.

  jepsen-log  The op lines of a Jepsen log (jepsen.log) or history.txt:
                INFO  jepsen.util - 3	:invoke	:cas	[1 4]
                2022-07-28 07:52:57,101{GMT}	INFO	[jepsen worker 3] jepsen.util: [ 1345013587 ] 3	:invoke	:read	nil
                3	:invoke	:read	nil                        (history.txt: process type f value [error])
              Fields are EDN, separated by tabs or spaces; other log lines are ignored.
              "[ n ]" after jepsen.util: is the op's time in ns. An :info/:fail line whose
              value is a keyword unlike its invocation's (3 :info :cas :timed-out) has that
              keyword as its :error and the invocation's value.

Every op needs :type (:invoke, :ok, :fail or :info). :index defaults to the op's position,
:time, :process and :f may be absent; other keys are kept. Each invocation pairs with the next
completion of its process. Integers beyond 2^53 stay exact.

A file named - is standard input (<stdin> in messages). A gzip file (by its first bytes, not
its name) is decompressed as it is read. A run directory (ours or Jepsen's) stands for its
history: history.edn, else history.txt, else jepsen.log.

Text must be UTF-8 (--lossy-utf8 reads other bytes as U+FFFD, with a warning); values nest at
most 1000 levels deep.

Problems name the file and line. Errors (malformed line, unknown :type) stop the read.
Warnings (a completion with no invocation, a second invocation on a busy process, a torn
last line from a killed recorder, which is skipped) let it go on; --strict makes them errors.
`;
