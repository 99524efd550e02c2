#!/usr/bin/env python3
"""A rule-based Syntropism agent speaking the JSON-lines brain protocol (README, "Agents in any language").

Standard library only. It reads one message per line on stdin and answers every prompt
(turn.started, tool.result, action.recorded, actions.performed) with exactly one brain.act line on
stdout, carrying one action or a batch of actions; notices need no answer. Its strategy, in a bidding
turn: look up the balance (one action); then, as one batch, explain the bid and bid a modest share of
the balance for a small window. That batch leaves the turn open, so that the agent hears how the bid
came out: if the market rejects it, the agent explains, adjusts and bids less, and ends the turn in
the same batch ([reasoning, bid, end_turn]); otherwise it ends the turn. In an executing turn it has
nothing to do, so it ends the turn. Diagnostics go to stderr.
"""
import json
import sys

BUNDLE = {"cpu": 0.1, "memory": 0.1, "tokens": 0.001, "duration_seconds": 60}
SMALLER_BUNDLE = {"cpu": 0.05, "memory": 0.05, "tokens": 0.001, "duration_seconds": 60}


def log(text):
    print(f"[agent.py] {text}", file=sys.stderr, flush=True)


def act(action):
    sys.stdout.write(json.dumps({"type": "brain.act", "action": action}) + "\n")
    sys.stdout.flush()


def act_batch(actions):
    """Several actions for one prompt, performed in order; only the last may be end_turn."""
    sys.stdout.write(json.dumps({"type": "brain.act", "actions": actions}) + "\n")
    sys.stdout.flush()


def tool(name, arguments=None):
    return {"kind": "tool", "tool_name": name, "arguments": arguments or {}}


def window_value(prices, bundle):
    """What the bundle would cost at the posted prices: each resource's share times its price times the seconds."""
    seconds = bundle["duration_seconds"]
    return sum(prices.get(resource, 0) * bundle.get(resource, 0) * seconds for resource in ("cpu", "memory", "tokens"))


class Agent:
    def __init__(self):
        self.tools = []
        self.observation = {}
        self.last_bid = None
        self.rejected = set()
        self.adjusted = False

    def turn_started(self, message):
        self.observation = message["observation"]
        if message["phase"] == "executing":
            act({"kind": "end_turn"})
        else:
            act(tool("economic.get_balance"))

    def tool_result(self, message):
        if message["tool_name"] == "economic.get_balance" and message["result"] == "success":
            balance = (message.get("response") or {}).get("balance", self.observation.get("balance", 0))
            act_batch(self.bid_batch(balance))
        else:
            act({"kind": "end_turn"})

    def actions_performed(self, message):
        """The results of a batch that left the turn open: what came of the bid decides what is next."""
        for result in message["results"]:
            if result.get("type") == "tool.result" and result["tool_name"] == "market.bid":
                if result["result"] == "success":
                    response = result.get("response") or {}
                    self.last_bid = {"bid_id": response.get("bid_id"), "amount": response.get("total_cost")}
                else:
                    log(f"bid failed: {result.get('reason')}")
        if self.last_bid is not None and self.last_bid["bid_id"] in self.rejected and not self.adjusted:
            act_batch(self.adjusted_batch())
        else:
            act({"kind": "end_turn"})

    def bid_batch(self, balance):
        prices = self.observation.get("prices", {})
        amount = max(1, min(50, round(balance / 2)))
        value = window_value(prices, BUNDLE)
        return [
            {
                "kind": "reasoning",
                "content": f"My balance is {balance} credits. A tenth of cpu and memory for a minute is worth about "
                f"{value:.1f} credits at the posted prices; bidding {amount} keeps at least half of the balance in reserve.",
                "decision": "bid_within_balance",
                "factors_considered": [f"balance of {balance} credits", f"prices {json.dumps(prices)}"],
            },
            tool("market.bid", {"amount": amount, "bundle": BUNDLE}),
        ]

    def adjusted_batch(self):
        self.adjusted = True
        amount = max(1, round(self.last_bid["amount"] * 0.6))
        return [
            {
                "kind": "reasoning",
                "content": f"The bid of {self.last_bid['amount']} was rejected. Bidding higher would make it worse; "
                f"a smaller window for {amount} credits keeps more in reserve.",
                "decision": "adjust_bid",
                "factors_considered": ["the rejection of my first bid", f"balance of {self.observation.get('balance')} credits"],
                "alternatives_considered": ["retry at the same amount", "bid higher"],
            },
            tool("market.bid", {"amount": amount, "bundle": SMALLER_BUNDLE}),
            {"kind": "end_turn"},
        ]

    def notice(self, event):
        if event["type"] == "bid_rejected" and event["data"].get("bid_id") is not None:
            self.rejected.add(event["data"]["bid_id"])

    def handle(self, message):
        kind = message.get("type")
        if kind == "hello":
            self.tools = [tool["name"] for tool in message["tools"]]
            log(f"hello: {message['agent_id']} in {message['scenario_id']}, {len(self.tools)} tools")
        elif kind == "notified":
            self.notice(message["event"])
        elif kind == "turn.started":
            self.turn_started(message)
        elif kind == "tool.result":
            self.tool_result(message)
        elif kind == "actions.performed":
            self.actions_performed(message)
        elif kind == "action.recorded":
            act({"kind": "end_turn"})
        elif kind == "run.finished":
            return False
        return True


def main():
    agent = Agent()
    for line in sys.stdin:
        if line.strip() and not agent.handle(json.loads(line)):
            break
    log("run finished")


if __name__ == "__main__":
    main()
