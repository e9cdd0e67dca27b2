package dev.taskhub.protocol;

/**
 * The body of a Java executor, handed to {@link ExecutorMain#run(String[], Executor)} so that it only does its work.
 * Throwing fails the task: the exception becomes the task's {@code ERROR:} object.
 */
@FunctionalInterface
public interface Executor {

  void run(TaskContext task, ProtocolWriter out) throws Exception;
}
