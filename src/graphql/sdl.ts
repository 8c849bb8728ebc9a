/** The read-only room schema, compatible with the original's GraphQL (same type and field names). */
export const SDL = /* GraphQL */ `
  type Query {
    status: RoomState!
    tasks(first: Int = 50, after: String, status: String, assignee: String): TaskConnection!
    agents(first: Int = 50, after: String, status: String): AgentConnection!
    messages(first: Int = 50, after: String, from: String, mention: String, thread: Int): MessageConnection!
  }

  type RoomState {
    protocolVersion: String!
    project: String!
    startedAt: String
    messageSeq: Int!
    activeAgents: Int!
    paused: Boolean!
    pauseReason: String
    pausedBy: String
    pausedAt: String
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type TaskStatus {
    status: String!
    assignee: String
    claimedAt: String
    startedAt: String
    completedAt: String
    notes: String
    cancelledBy: String
    cancelledAt: String
    reason: String
  }

  type Worktree {
    branch: String
    path: String
    gitRoot: String
    repoName: String
  }

  type Task {
    id: ID!
    title: String!
    description: String
    priority: Int!
    createdAt: String!
    status: TaskStatus!
    worktree: Worktree
    "Whether it waits for a task that is neither done nor cancelled"
    blocked: Boolean!
    "Tasks it waits for"
    blockedBy: [ID!]!
    "Tasks waiting for it"
    blocking: [ID!]!
  }

  type TaskEdge {
    cursor: String!
    node: Task!
  }

  type TaskConnection {
    edges: [TaskEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Agent {
    id: ID!
    name: String!
    agentType: String!
    status: String!
    capabilities: [String!]!
    currentTask: String
    joinedAt: String!
    lastSeen: String!
  }

  type AgentEdge {
    cursor: String!
    node: Agent!
  }

  type AgentConnection {
    edges: [AgentEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Message {
    id: ID!
    seq: Int!
    from: String
    messageType: String!
    content: String!
    mention: String
    "Seq of the message this one answers; null for a thread's root or a plain message"
    replyTo: Int
    "Seq of the thread's root broadcast; null when the message is not a reply"
    thread: Int
    timestamp: String!
  }

  type MessageEdge {
    cursor: String!
    node: Message!
  }

  type MessageConnection {
    edges: [MessageEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;
