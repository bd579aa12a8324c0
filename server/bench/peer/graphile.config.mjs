// PostGraphile 5, the bench's peer: the amber preset over the bench
// database's public schema, in production mode, without auth. The bench
// starts it with PEER_DATABASE_URL and PEER_PORT set (see server/bench/peer.go).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { jsonPgSmartTags } from "postgraphile/utils";

// segment_customers.segment_id has no foreign key (a migration dropped it:
// a refresh checks the segment itself). The smart tag gives PostGraphile
// the relation anyway, so a drill-down page is segmentById { members }.
const SegmentMembers = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      segment_customers: {
        tags: { foreignKey: "(segment_id) references segments (id)" },
      },
    },
  },
});

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  plugins: [SegmentMembers],
  pgServices: [
    makePgService({
      connectionString: process.env.PEER_DATABASE_URL,
      schemas: ["public"],
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PEER_PORT),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};
