// Runs a declarative Jenkinsfile against a model of Jenkins' pipeline steps, for one kind of
// build (a branch, a pull request or a tag), and prints what Jenkins would do, one line each:
//   stage<TAB>path          a stage that runs (path: names joined by " > ")
//   skip<TAB>path           a stage whose `when` is false
//   sh<TAB>path<TAB>script  a shell step
//   archive<TAB>path<TAB>artifacts
// A step or directive the model does not know fails the run: a typo is not silently ignored.
// Usage: groovy pipeline.groovy JENKINSFILE branch|pr|tag [BRANCH_NAME] [TAG_NAME]

class Build {
  String kind
  String branchName
  String tagName
}

class Conditions {
  Build build
  List<Boolean> results = []
  void buildingTag() { results << (build.kind == 'tag') }
  void changeRequest() { results << (build.kind == 'pr') }
  void tag(String pattern) { results << (build.kind == 'tag' && build.tagName ==~ pattern.replace('*', '.*')) }
  void branch(String pattern) { results << (build.kind == 'branch' && build.branchName ==~ pattern.replace('*', '.*')) }
  void not(Closure body) { results << !Stage.all(build, body) }
  void allOf(Closure body) { results << Stage.all(build, body) }
  void anyOf(Closure body) {
    def nested = new Conditions(build: build)
    Stage.run(body, nested)
    results << nested.results.any()
  }
}

class Steps {
  String path
  void sh(String script) { println "sh\t${path}\t${script.readLines()*.trim().findAll { it }.join('\\n')}" }
  void sh(Map args) { sh(args.script as String) }
  void echo(String message) {}
  void archiveArtifacts(Map args) { println "archive\t${path}\t${args.artifacts}" }
}

class Post {
  String path
  Closure success
  Closure always
  Closure failure
  void success(Closure body) { success = body }
  void always(Closure body) { always = body }
  void failure(Closure body) { failure = body }
}

class Stage {
  Build build
  String path
  Closure when
  Closure steps
  Closure stages
  Closure post

  static void run(Closure body, Object delegate) {
    def copy = body.rehydrate(delegate, delegate, delegate)
    copy.resolveStrategy = Closure.DELEGATE_ONLY
    copy()
  }

  static boolean all(Build build, Closure body) {
    def conditions = new Conditions(build: build)
    run(body, conditions)
    return conditions.results.every()
  }

  void when(Closure body) { when = body }
  void steps(Closure body) { steps = body }
  void stages(Closure body) { stages = body }
  void post(Closure body) { post = body }
  void agent(Object any) {}
  def propertyMissing(String name) {
    if (name in ['any', 'none']) return name
    throw new MissingPropertyException(name, Stage)
  }
  void options(Closure body) {}
  void environment(Closure body) {}

  void execute() {
    if (when != null && !all(build, when)) {
      println "skip\t${path}"
      return
    }
    println "stage\t${path}"
    if (steps != null) run(steps, new Steps(path: path))
    if (stages != null) run(stages, new Stages(build: build, parent: path))
    if (post != null) {
      def conditions = new Post(path: path)
      run(post, conditions)
      // The model's build succeeds: success and always blocks run.
      [conditions.success, conditions.always].findAll { it != null }.each { run(it, new Steps(path: path)) }
    }
  }
}

class Stages {
  Build build
  String parent
  void stage(String name, Closure body) {
    def stage = new Stage(build: build, path: parent ? "${parent} > ${name}" : name)
    Stage.run(body, stage)
    stage.execute()
  }
}

class Pipeline {
  Build build
  def propertyMissing(String name) {
    if (name in ['any', 'none']) return name
    throw new MissingPropertyException(name, Pipeline)
  }
  void pipeline(Closure body) {
    def root = new Stage(build: build, path: '')
    Stage.run(body, root)
    if (root.stages == null) throw new IllegalStateException('the pipeline has no stages block')
    Stage.run(root.stages, new Stages(build: build, parent: ''))
  }
}

def (file, kind) = [args[0], args[1]]
if (!(kind in ['branch', 'pr', 'tag'])) throw new IllegalArgumentException("build kind: branch, pr or tag, not ${kind}")
def build = new Build(kind: kind, branchName: args.length > 2 ? args[2] : 'main', tagName: args.length > 3 ? args[3] : 'v1.0.0')
def model = new Pipeline(build: build)
// A script's call to an unknown method runs the binding's closure of that name.
def binding = new Binding(pipeline: { Closure body -> model.pipeline(body) })
new GroovyShell(binding).parse(new File(file)).run()
