"""HTTP blueprints of the queue service. Each view: parse → one service call → respond."""
